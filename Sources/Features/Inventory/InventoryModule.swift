import ClinicBoxCore
import GRDB
import Hummingbird

extension PermissionAction {
    package static let inventoryRead = PermissionAction("inventory.read", doing: "see stock")
    package static let inventoryWrite = PermissionAction("inventory.write", doing: "manage stock")
}

/// Products, stock batches per branch with expiry, adjustments, transfers and the controlled-substance register.
package struct InventoryModule: FeatureModule {
    package let id = "inventory"
    package let domains: Set<TenantDomain> = [.pharmacy, .dental, .clinic]
    package let summary = "products, stock batches and expiry"
    package let actions: [PermissionAction: Set<Role>] = [
        .inventoryRead: [.manager, .clinician, .staff],
        .inventoryWrite: [.manager],
    ]

    package let migrations = [
        TenantSchema.Step(id: "inventory.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE products (
                        id INTEGER PRIMARY KEY,
                        sku TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        name TEXT NOT NULL,
                        generic_name TEXT,
                        strength TEXT,
                        form TEXT,
                        requires_prescription INTEGER NOT NULL CHECK (requires_prescription IN (0, 1)),
                        controlled INTEGER NOT NULL CHECK (controlled IN (0, 1)),
                        reorder_level INTEGER NOT NULL CHECK (reorder_level >= 0),
                        active INTEGER NOT NULL CHECK (active IN (0, 1)),
                        sort_name TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX products_by_name ON products (sort_name);
                    CREATE TABLE stock_batches (
                        id INTEGER PRIMARY KEY,
                        product_id INTEGER NOT NULL REFERENCES products (id),
                        branch TEXT NOT NULL,
                        batch_number TEXT NOT NULL,
                        expiry TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity >= 0),
                        cost_price INTEGER NOT NULL CHECK (cost_price >= 0),
                        selling_price INTEGER NOT NULL CHECK (selling_price >= 0),
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL,
                        UNIQUE (product_id, branch, batch_number)
                    ) STRICT;
                    CREATE INDEX stock_batches_first_expiry ON stock_batches (product_id, branch, expiry);
                    CREATE INDEX stock_batches_by_expiry ON stock_batches (expiry);
                    CREATE TABLE stock_movements (
                        id INTEGER PRIMARY KEY,
                        batch_id INTEGER NOT NULL REFERENCES stock_batches (id),
                        product_id INTEGER NOT NULL REFERENCES products (id),
                        branch TEXT NOT NULL,
                        change INTEGER NOT NULL CHECK (change <> 0),
                        kind TEXT NOT NULL CHECK (kind IN ('receive', 'adjust', 'transfer_out', 'transfer_in', 'dispense', 'sale', 'refund')),
                        reason TEXT,
                        reference TEXT,
                        user_id INTEGER,
                        at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX stock_movements_by_batch ON stock_movements (batch_id, id);
                    CREATE TABLE controlled_register (
                        id INTEGER PRIMARY KEY,
                        movement_id INTEGER NOT NULL UNIQUE REFERENCES stock_movements (id),
                        product_id INTEGER NOT NULL REFERENCES products (id),
                        batch_id INTEGER NOT NULL REFERENCES stock_batches (id),
                        branch TEXT NOT NULL,
                        change INTEGER NOT NULL,
                        balance_after INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        reason TEXT,
                        reference TEXT,
                        user_id INTEGER,
                        user_email TEXT,
                        at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX controlled_register_by_product ON controlled_register (product_id, branch, id);
                    CREATE TRIGGER controlled_register_refuses_update BEFORE UPDATE ON controlled_register
                        BEGIN SELECT RAISE(ABORT, 'controlled_register is append-only'); END;
                    CREATE TRIGGER controlled_register_refuses_delete BEFORE DELETE ON controlled_register
                        BEGIN SELECT RAISE(ABORT, 'controlled_register is append-only'); END;
                    """
            )
        },
        // Medicine that came back (a refund) waits here, out of the sellable quantity, until a pharmacist says it is
        // fit for resale or it is destroyed; each return is one row, never changed.
        TenantSchema.Step(id: "inventory.v2") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE stock_quarantine (
                        id INTEGER PRIMARY KEY,
                        batch_id INTEGER NOT NULL REFERENCES stock_batches (id),
                        product_id INTEGER NOT NULL REFERENCES products (id),
                        branch TEXT NOT NULL,
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        reason TEXT NOT NULL,
                        reference TEXT,
                        user_id INTEGER,
                        at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX stock_quarantine_by_product ON stock_quarantine (product_id, branch);
                    CREATE TRIGGER stock_quarantine_never_change BEFORE UPDATE ON stock_quarantine
                        BEGIN SELECT RAISE(ABORT, 'a quarantine entry is never changed'); END;
                    CREATE TRIGGER stock_quarantine_never_removed BEFORE DELETE ON stock_quarantine
                        BEGIN SELECT RAISE(ABORT, 'a quarantine entry is never removed'); END;
                    """
            )
        },
        // A product's tax class (one of the tenant file's tax.classes); none: the default class. Medicines are often
        // exempt while cosmetics and devices are taxed.
        TenantSchema.Step(id: "inventory.v3") { db, _ in
            try db.execute(sql: "ALTER TABLE products ADD COLUMN tax_class TEXT")
        },
    ]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Stock", action: .inventoryRead)

    /// Products at or below their reorder level in one of the user's branches (in-date stock only), and batches that
    /// expire within 30 days (or already have), soonest first.
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        guard context.allows(.inventoryRead) else { return [] }
        let today = CalendarDate.today(in: context.tenant.timeZone)
        let base = context.basePath
        var conditions = SQLConditions()
        conditions.add("stock_batches.quantity > 0 AND stock_batches.expiry <= ?", [today.adding(days: 30).description])
        if let only = context.user.branchFilter { conditions.add(column: "stock_batches.branch", in: only) }
        let sql = """
            SELECT stock_batches.product_id, stock_batches.expiry, stock_batches.quantity, stock_batches.branch, products.name FROM stock_batches
            JOIN products ON products.id = stock_batches.product_id \(conditions.whereClause) ORDER BY stock_batches.expiry LIMIT 8
            """
        let (arguments, tenant) = (conditions.arguments, context.tenant)
        let lines = try await context.storage.database().readStatement { db in
            try db.fetchAllCached(sql, arguments).map { row in
                let expiry: String = row["expiry"]
                let day = ReadableTime.day(expiry)
                return DashboardCard.Line(
                    text: "\(row["name"] as String): \(row["quantity"] as Int64) \(expiry < today.description ? "expired" : "expire") \(day)",
                    detail: tenant.branchName(row["branch"]),
                    href: "\(base)/inventory/\(row["product_id"] as Int64)",
                    record: nil
                )
            }
        }
        let expiring = DashboardCard(
            title: "Expiring stock (30 days)",
            kind: "stock_batches",
            lines: lines,
            empty: "Nothing expires in the next 30 days.",
            moreHref: base + "/inventory",
            moreLabel: "All stock"
        )
        return [try await lowStock(context), expiring]
    }

    private func lowStock(_ context: PageRequestContext) async throws -> DashboardCard {
        let branches = context.workBranches
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let base = context.basePath
        guard !branches.isEmpty else { return DashboardCard(title: "Low stock", kind: "low_stock", lines: [], empty: "No branches.") }
        let sql = """
            WITH branch(code) AS (VALUES \(branches.map { _ in "(?)" }.joined(separator: ", "))),
            level AS (
                SELECT products.id, products.name, branch.code AS branch, products.reorder_level,
                    (SELECT coalesce(sum(quantity), 0) FROM stock_batches WHERE product_id = products.id AND stock_batches.branch = branch.code AND expiry >= ?) AS quantity
                FROM products CROSS JOIN branch WHERE products.active = 1 AND products.reorder_level > 0
            )
            SELECT id, name, branch, quantity, reorder_level FROM level WHERE quantity <= reorder_level ORDER BY quantity, name LIMIT 8
            """
        let (arguments, tenant) = (StatementArguments(branches) + [today], context.tenant)
        let lines = try await context.storage.database().readStatement { db in
            try db.fetchAllCached(sql, arguments).map { row in
                DashboardCard.Line(
                    text: "\(row["name"] as String): \(row["quantity"] as Int64) left (reorder at \(row["reorder_level"] as Int64))",
                    detail: tenant.branchName(row["branch"]),
                    href: "\(base)/inventory/\(row["id"] as Int64)",
                    record: nil
                )
            }
        }
        return DashboardCard(
            title: "Low stock",
            kind: "low_stock",
            lines: lines,
            empty: "Nothing is below its reorder level.",
            moreHref: base + "/inventory",
            moreLabel: "All stock"
        )
    }

    package init() {}
}
