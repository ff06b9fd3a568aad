import ClinicBoxCore
import GRDB
import Hummingbird
import Inventory
import Patients
import Prescriptions

extension PermissionAction {
    package static let salesRead = PermissionAction("sales.read", doing: "see sales")
    package static let salesWrite = PermissionAction("sales.write", doing: "sell at the till")
    package static let salesRefund = PermissionAction("sales.refund", doing: "refund sales")
}

/// The pharmacy till: sales from stock with tax, discounts, split payments, receipts and refunds back to stock.
package struct SalesModule: FeatureModule {
    package let id = "sales"
    package let domains: Set<TenantDomain> = [.pharmacy]
    package let dependencies = ["inventory"]
    package let summary = "the till: sales, payments, refunds"
    package let actions: [PermissionAction: Set<Role>] = [
        .salesRead: [.manager, .staff],
        .salesWrite: [.manager, .staff],
        .salesRefund: [.manager],
    ]

    package let migrations = [
        TenantSchema.Step(id: "sales.v1") { db, _ in
            try db.execute(
                sql: """
                    CREATE TABLE sales (
                        id INTEGER PRIMARY KEY,
                        number TEXT NOT NULL UNIQUE,
                        branch TEXT NOT NULL,
                        sale_date TEXT NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('completed', 'partially_refunded', 'refunded')),
                        patient_id INTEGER,
                        prescription_id INTEGER,
                        prescription_reference TEXT,
                        subtotal INTEGER NOT NULL,
                        discount INTEGER NOT NULL,
                        tax INTEGER NOT NULL,
                        total INTEGER NOT NULL,
                        tax_rate_basis_points INTEGER NOT NULL,
                        prices_include_tax INTEGER NOT NULL,
                        paid INTEGER NOT NULL,
                        change_due INTEGER NOT NULL,
                        refunded INTEGER NOT NULL DEFAULT 0,
                        cashier_id INTEGER NOT NULL,
                        version INTEGER NOT NULL,
                        created_at TEXT NOT NULL,
                        updated_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX sales_by_branch_date ON sales (branch, sale_date);
                    CREATE INDEX sales_by_date ON sales (sale_date);
                    CREATE TABLE sale_items (
                        id INTEGER PRIMARY KEY,
                        sale_id INTEGER NOT NULL REFERENCES sales (id),
                        product_id INTEGER NOT NULL REFERENCES products (id),
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        line_total INTEGER NOT NULL,
                        refunded_quantity INTEGER NOT NULL DEFAULT 0 CHECK (refunded_quantity BETWEEN 0 AND quantity)
                    ) STRICT;
                    CREATE INDEX sale_items_by_sale ON sale_items (sale_id);
                    CREATE INDEX sale_items_by_product ON sale_items (product_id);
                    CREATE TABLE sale_item_batches (
                        sale_item_id INTEGER NOT NULL REFERENCES sale_items (id),
                        batch_id INTEGER NOT NULL REFERENCES stock_batches (id),
                        quantity INTEGER NOT NULL CHECK (quantity > 0),
                        unit_price INTEGER NOT NULL,
                        refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded BETWEEN 0 AND quantity),
                        PRIMARY KEY (sale_item_id, batch_id)
                    ) STRICT, WITHOUT ROWID;
                    CREATE TABLE sale_payments (
                        id INTEGER PRIMARY KEY,
                        sale_id INTEGER NOT NULL REFERENCES sales (id),
                        method TEXT NOT NULL CHECK (method IN ('cash', 'card', 'mobile_money')),
                        amount INTEGER NOT NULL CHECK (amount > 0),
                        reference TEXT
                    ) STRICT;
                    CREATE INDEX sale_payments_by_sale ON sale_payments (sale_id);
                    CREATE TABLE sale_refunds (
                        id INTEGER PRIMARY KEY,
                        sale_id INTEGER NOT NULL REFERENCES sales (id),
                        amount INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        user_id INTEGER NOT NULL,
                        created_at TEXT NOT NULL
                    ) STRICT;
                    CREATE INDEX sale_refunds_by_sale ON sale_refunds (sale_id);
                    """
            )
        },
        // The patient's chart lists their purchases.
        TenantSchema.Step(id: "sales.v2") { db, _ in
            try db.execute(sql: "CREATE INDEX sales_by_patient ON sales (patient_id) WHERE patient_id IS NOT NULL")
        },
        // The chart's timeline reads a patient's purchases newest first, from an index, however many there are.
        TenantSchema.Step(id: "sales.v3") { db, _ in
            try db.execute(sql: "CREATE INDEX sales_by_patient_time ON sales (patient_id, created_at) WHERE patient_id IS NOT NULL")
        },
        // Each line is taxed at its product's class, and keeps the class, the rate and its tax (earlier sales were
        // taxed at one rate, the sale's).
        TenantSchema.Step(id: "sales.v4") { db, _ in
            try db.execute(
                sql: """
                    ALTER TABLE sale_items ADD COLUMN tax_class TEXT;
                    ALTER TABLE sale_items ADD COLUMN tax_rate INTEGER;
                    ALTER TABLE sale_items ADD COLUMN tax INTEGER;
                    """
            )
        },
    ]

    package let optionalDependencies = ["prescriptions": "a sale can be for one of the tenant's prescriptions and dispenses it"]

    package let navigation: ModuleNavigation? = ModuleNavigation(label: "Till", action: .salesWrite)

    /// Today's sales in the user's branches: how many, how much, and the latest few.
    package func dashboardCards(_ context: PageRequestContext) async throws -> [DashboardCard] {
        guard context.allows(.salesRead) else { return [] }
        let today = CalendarDate.today(in: context.tenant.timeZone).description
        let (base, currency) = (context.basePath, context.tenant.definition.currency)
        var conditions = SQLConditions()
        conditions.add("sale_date = ?", [today])
        if let only = context.user.branchFilter { conditions.add(column: "branch", in: only) }
        let sql = "SELECT id, number, total, refunded, branch FROM sales \(conditions.whereClause) ORDER BY id DESC"
        let arguments = conditions.arguments
        let sales = try await context.storage.database().readStatement { db in
            try db.fetchAllCached(sql, arguments).map {
                (
                    id: $0["id"] as Int64, number: $0["number"] as String, net: ($0["total"] as Int64) - ($0["refunded"] as Int64),
                    branch: $0["branch"] as String
                )
            }
        }
        let total = sales.reduce(0) { $0 + $1.net }
        let lines = sales.prefix(5).map { sale in
            DashboardCard.Line(
                text: "\(sale.number) \(Money.format(sale.net, currency: currency))",
                detail: context.tenant.branchName(sale.branch),
                href: "\(base)/sales/\(sale.id)",
                record: nil
            )
        }
        let title = sales.isEmpty ? "Today's sales" : "Today's sales: \(sales.count), \(Money.format(total, currency: currency))"
        return [
            DashboardCard(
                title: title,
                kind: "sales",
                lines: Array(lines),
                empty: "No sales yet today.",
                moreHref: base + "/sales/history",
                moreLabel: "Today's sales"
            )
        ]
    }

    package var chart: ChartContribution { ChartContribution(timeline: timelineSources) }

    /// What the till takes in for the cash-up: each payment of a sale (cash less the change given), and refunds
    /// paid out in cash.
    package var takings: [TakingsSource] {
        [
            TakingsSource(
                query: """
                    SELECT p.method, p.amount - CASE WHEN p.method = 'cash' THEN s.change_due ELSE 0 END
                    FROM sales s JOIN sale_payments p ON p.sale_id = s.id
                    WHERE s.branch = :branch AND s.cashier_id = :cashier AND substr(s.created_at, 1, 19) BETWEEN substr(:from, 1, 19) AND substr(:to, 1, 19)
                    """
            ),
            TakingsSource(
                query: """
                    SELECT 'cash', -r.amount FROM sale_refunds r JOIN sales s ON s.id = r.sale_id
                    WHERE s.branch = :branch AND r.user_id = :cashier AND substr(r.created_at, 1, 19) BETWEEN substr(:from, 1, 19) AND substr(:to, 1, 19)
                    """
            ),
        ]
    }

    package init() {}
}
