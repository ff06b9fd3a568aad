import Appointments
import ClinicBoxCore
import Foundation
import Inventory
import Patients
import Prescriptions
import Reports
import Sales
import Treatments
import Visits

/// The records of one demo day, module by module, for the modules the tenant has: patients; then appointments
/// today and this week, a dental plan, stock with low and expiring batches, prescriptions pending and dispensed,
/// and sales at the till. Each is written by the job that would do it (the desk books, the dentist plans).
package struct DemoDay {
    package let tenant: Tenant
    package let staff: DemoStaff
    package let clients: [DemoStaff.Job: LocalAPIClient]
    package var made: [String] = []
    private var random: DemoRandom
    private var patients: [Int64] = []
    private var visits = 0
    private var products: [String: Int64] = [:]
    private let calendar: Calendar
    private let now: Date

    package init(tenant: Tenant, staff: DemoStaff, clients: [DemoStaff.Job: LocalAPIClient], now: Date) {
        self.tenant = tenant
        self.now = now
        self.staff = staff
        self.clients = clients
        random = DemoRandom(seed: tenant.id.rawValue)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = tenant.timeZone
        self.calendar = calendar
    }

    private var features: Set<String> { tenant.features }
    private var branches: [String] { tenant.definition.branches.map(\.code) }

    private func client(_ job: DemoStaff.Job) -> LocalAPIClient { clients[job] ?? clients[.owner]! }

    package mutating func write() async throws {
        try await registerPatients()
        // The clinical history of the first patients: a chart to open that has lived.
        if tenant.definition.domain != .pharmacy, let branch = branches.first ?? staff.user(.clinician)?.branches.first {
            let history = DemoHistory(
                clinician: client(.clinician),
                branch: branch,
                today: CalendarDate.today(in: tenant.timeZone),
                dental: tenant.definition.domain == .dental
            )
            made.append(try await history.write(for: patients, withVisits: features.contains("visits")))
        }
        if features.contains("appointments") { try await bookAppointments() }
        if features.contains("treatments") { try await planTreatments() }
        if features.contains("inventory") { try await stockShelves() }
        if features.contains("prescriptions") { try await writePrescriptions() }
        if features.contains("sales") { try await ringUpSales() }
    }

    // MARK: Patients

    private mutating func registerPatients() async throws {
        let allergies: [[String: Any]] = [
            ["substance": "Penicillin", "reaction": "rash", "severity": "moderate"],
            ["substance": "Latex", "reaction": "itching", "severity": "mild"],
            ["substance": "Sulfonamides", "reaction": "hives", "severity": "moderate"],
            ["substance": "Peanuts", "reaction": "anaphylaxis", "severity": "severe"],
            ["substance": "Aspirin", "reaction": "wheezing", "severity": "severe"],
        ]
        for (index, person) in DemoPeople.patients.enumerated() {
            let age = Int.random(in: 4...84, using: &random)
            let birth = calendar.date(byAdding: .day, value: -(age * 365 + Int.random(in: 0...364, using: &random)), to: now)!
            var body: [String: Any] = [
                "first_name": person.first, "last_name": person.last, "sex": person.sex, "date_of_birth": date(birth),
                "phone": DemoPeople.phone(index + 100, tenantPhone: tenant.definition.contact.phone),
            ]
            if index % 3 == 0 { body["email"] = "\(person.first.lowercased()).\(person.last.lowercased())@example.com" }
            body["confirm_new"] = true  // --force adds the same people again, on purpose
            let id = try await client(.desk).create("patients", body)
            patients.append(id)
            // The clinician asked: some have an allergy, some none, the rest were not asked yet.
            switch index % 5 {
            case 1: _ = try await client(.clinician).create("patients/\(id)/allergies", allergies[index / 5 % allergies.count])
            case 2, 3: try await client(.clinician).send(.put, "patients/\(id)/allergies/none")
            default: break
            }
        }
        made.append("\(patients.count) patients")
    }

    // MARK: Appointments

    private mutating func bookAppointments() async throws {
        let practitioners = [staff.user(.clinician), staff.user(.secondClinician)].compactMap { $0 }
        let reasons =
            tenant.definition.domain == .dental
            ? ["Check-up and cleaning", "Filling", "Tooth pain, lower left", "Crown fitting", "Scale and polish", "Braces review"]
            : ["Blood pressure review", "Cough and fever", "Diabetes review", "Vaccination", "Back pain", "Antenatal check"]
        var booked = 0
        var patientIndex = 0
        // Today: a morning and an afternoon for each practitioner; what has passed already happened.
        let today = calendar.startOfDay(for: now)
        for (number, practitioner) in practitioners.enumerated() {
            let branch = practitioner.branches.first ?? branches[0]
            for (slot, (hour, minute)) in [(8, 30), (9, 0), (9, 30), (10, 30), (11, 30), (14, 0), (15, 0), (16, 30)].enumerated()
            where (slot + number) % 5 != 4 {
                let start = calendar.date(bySettingHour: hour, minute: minute, second: 0, of: today)!
                guard
                    let id = try await book(
                        patients[patientIndex % patients.count],
                        practitioner,
                        branch,
                        start,
                        reasons[(slot + number) % reasons.count]
                    )
                else { continue }
                patientIndex += 1
                booked += 1
                let end = start.addingTimeInterval(30 * 60)
                let job: DemoStaff.Job = number == 0 ? .clinician : .secondClinician
                // A no-show only once its time has really come (the server checks the clock, not the demo's "now").
                if end <= now, slot == 2, number == 0, start <= Date() {
                    try await move(id, to: ["no_show"])
                } else if end <= now {
                    try await move(id, to: ["checked_in"])
                    // Signing the visit completes the appointment; without visits the desk completes it.
                    if features.contains("visits") {
                        try await recordVisit(from: id, by: job, signing: true, case: slot + number)
                    } else {
                        try await move(id, to: ["completed"], from: 2)
                    }
                } else if start <= now {
                    try await move(id, to: ["checked_in"])
                    if features.contains("visits") { try await recordVisit(from: id, by: job, signing: false, case: slot + number) }
                } else if slot == 6 {
                    try await move(id, to: ["cancelled"], reason: "The patient rang: travelling this week")
                }
            }
        }
        // The rest of the week.
        for offset in 1...6 {
            let day = calendar.date(byAdding: .day, value: offset, to: today)!
            for (number, practitioner) in practitioners.enumerated() {
                let branch = practitioner.branches.first ?? branches[0]
                for hour in [9, 11, 15] where (offset + hour + number) % 3 != 0 {
                    let start = calendar.date(bySettingHour: hour, minute: number * 30, second: 0, of: day)!
                    guard
                        try await book(patients[patientIndex % patients.count], practitioner, branch, start, reasons[(offset + hour) % reasons.count])
                            != nil
                    else { continue }
                    patientIndex += 1
                    booked += 1
                }
            }
        }
        made.append("\(booked) appointments today and this week")
        if visits > 0 { made.append("\(visits) visits") }
    }

    /// A visit started from checked-in appointment `id` by its practitioner, with vitals, notes and a diagnosis of
    /// one of a few everyday cases; signed when the patient has gone.
    private mutating func recordVisit(from appointment: Int64, by job: DemoStaff.Job, signing: Bool, case index: Int) async throws {
        let dental = tenant.definition.domain == .dental
        let cases: [[String: Any]] =
            dental
            ? [
                [
                    "subjective": "Routine check-up; no pain.", "objective": "Mild plaque on lower incisors; no caries found.",
                    "assessment": "Healthy dentition.", "plan": "Scale and polish; review in 6 months.",
                    "diagnoses": [["description": "Gingivitis, plaque-induced", "icd10_code": "K05.1"]],
                ],
                [
                    "subjective": "Pain lower left on chewing for a week.", "objective": "Deep caries 36; tender to percussion.",
                    "assessment": "Irreversible pulpitis 36.", "plan": "Root canal treatment 36, started today.",
                    "diagnoses": [["description": "Pulpitis", "icd10_code": "K04.0"]], "pulse": 82, "systolic": 124, "diastolic": 80,
                ],
                [
                    "subjective": "Crown came loose yesterday.", "objective": "Crown 46 off, core intact.", "assessment": "Loose crown 46.",
                    "plan": "Recemented.", "diagnoses": [["description": "Loss of restoration", "icd10_code": "K08.5"]],
                ],
            ]
            : [
                [
                    "subjective": "Cough and fever for three days.", "objective": "Chest clear; throat red.",
                    "assessment": "Viral upper respiratory infection.", "plan": "Fluids, paracetamol; return if worse.",
                    "diagnoses": [["description": "Acute upper respiratory infection", "icd10_code": "J06.9"]], "temperature": 38.1, "pulse": 92,
                    "spo2": 97,
                ],
                [
                    "subjective": "Here for blood pressure review; takes amlodipine.", "objective": "BP as recorded.",
                    "assessment": "Hypertension, controlled.", "plan": "Continue; review in 3 months.",
                    "diagnoses": [["description": "Essential hypertension", "icd10_code": "I10"]], "systolic": 136, "diastolic": 84, "pulse": 72,
                    "weight": 82.5, "height": 176,
                ],
                [
                    "subjective": "Diabetes review; feels well.", "objective": "Feet normal; BMI as recorded.",
                    "assessment": "Type 2 diabetes, fair control.", "plan": "HbA1c today; continue metformin.",
                    "diagnoses": [["description": "Type 2 diabetes mellitus", "icd10_code": "E11.9"]], "glucose": 7.8, "weight": 91, "height": 170,
                    "systolic": 128, "diastolic": 78,
                ],
            ]
        var body = cases[index % cases.count]
        body["appointment_id"] = appointment
        let visit = try await client(job).create("visits", body)
        if signing { try await client(job).send(.post, "visits/\(visit)/sign", [:]) }
        visits += 1
    }

    /// Nil when the practitioner is booked then already (a second, forced run).
    private func book(_ patient: Int64, _ practitioner: AuthenticatedUser, _ branch: String, _ start: Date, _ reason: String) async throws -> Int64? {
        do {
            return try await client(.desk).create(
                "appointments",
                [
                    "patient_id": patient, "practitioner_id": practitioner.id, "branch": branch, "start": localTime(start), "duration_minutes": 30,
                    "reason": reason,
                ]
            )
        } catch let failure as LocalAPIClient.Failure where failure.status == 409 {
            return nil
        }
    }

    /// Moves appointment `id` (at `version`) through `statuses`, as the desk does.
    private func move(_ id: Int64, to statuses: [String], from version: Int = 1, reason: String? = nil) async throws {
        var version = version
        for status in statuses {
            var body: [String: Any] = ["version": version, "status": status]
            if let reason { body["cancel_reason"] = reason }
            let json = try await client(.desk).send(.patch, "appointments/\(id)", body)
            version = json["version"] as? Int ?? version + 1
        }
    }

    // MARK: Dental treatment plans

    /// Fillings with their surfaces, a crown and an extraction: an odontogram with something on it. A procedure the
    /// tenant file lists is chosen by its code, so its name and fee come from the list.
    private mutating func planTreatments() async throws {
        let plan: [(patient: Int, tooth: Int?, surfaces: String?, code: String, procedure: String, fee: Int, done: Bool)] = [
            (0, 36, "MOD", "FIL2", "Composite filling", 6_500_00, true), (0, 46, nil, "RCT", "Root canal treatment", 15_000_00, false),
            (0, 25, "O", "FIL1", "Composite filling", 4_500_00, false), (0, nil, nil, "SCALE", "Scale and polish", 3_000_00, true),
            (1, 11, nil, "CROWN", "Porcelain crown", 25_000_00, false), (1, 21, nil, "CROWN", "Porcelain crown", 25_000_00, false),
            (2, 48, nil, "EXT", "Surgical extraction", 8_000_00, false), (3, 16, "O", "SEAL", "Fissure sealant", 2_000_00, true),
        ]
        let listed = Set(tenant.definition.procedures.map(\.code))
        for item in plan {
            var body: [String: Any] = ["patient_id": patients[item.patient], "status": item.done ? "done" : "planned"]
            if listed.contains(item.code) {
                body["procedure_code"] = item.code
            } else {
                (body["procedure"], body["fee"]) = (item.procedure, item.fee)
            }
            if let tooth = item.tooth { body["tooth"] = tooth }
            if let surfaces = item.surfaces { body["surfaces"] = surfaces }
            _ = try await client(.clinician).create("treatments", body)
        }
        made.append("a treatment plan for 4 patients (\(plan.count) items, \(plan.filter(\.done).count) done)")
    }

    // MARK: Stock

    private mutating func stockShelves() async throws {
        let dental = tenant.definition.domain == .dental
        // name, form, reorder level, prescription only, controlled; then batches: branch index, quantity, days to expiry, cost, price
        typealias Batch = (branch: Int, quantity: Int, expiresIn: Int, cost: Int, price: Int)
        let shelf: [(sku: String, name: String, form: String, reorder: Int, rx: Bool, controlled: Bool, batches: [Batch])] =
            dental
            ? [
                ("6161100000017", "Lidocaine 2% with adrenaline cartridges", "injection", 50, true, false, [(0, 40, 45, 90_00, 150_00)]),
                ("6161100000024", "Composite resin A2 syringe", "other", 5, false, false, [(0, 12, 400, 2_500_00, 4_000_00)]),
                (
                    "6161100000031", "Nitrile gloves, medium, box of 100", "device", 10, false, false,
                    [(0, 6, 900, 800_00, 1_200_00), (1, 15, 900, 800_00, 1_200_00)]
                ),
                ("6161100000048", "Chlorhexidine 0.2% mouthwash 300 ml", "liquid", 10, false, false, [(0, 20, 20, 350_00, 650_00)]),
                ("6161100000055", "Amoxicillin 500 mg capsules, 21", "capsule", 10, true, false, [(0, 30, 300, 250_00, 450_00)]),
                ("6161100000062", "Ibuprofen 400 mg tablets, 24", "tablet", 10, false, false, [(1, 50, 500, 120_00, 250_00)]),
            ]
            : [
                ("5012345000011", "Paracetamol 500 mg tablets, 16", "tablet", 40, false, false, [(0, 120, 400, 45, 150), (1, 30, 25, 45, 150)]),
                ("5012345000028", "Ibuprofen 200 mg tablets, 16", "tablet", 30, false, false, [(0, 60, 300, 55, 195)]),
                ("5012345000035", "Amoxicillin 500 mg capsules, 21", "capsule", 40, true, false, [(0, 30, 200, 180, 0)]),
                ("5012345000042", "Salbutamol 100 mcg inhaler", "inhaler", 5, true, false, [(0, 10, 18, 150, 0)]),
                ("5012345000059", "Cetirizine 10 mg tablets, 30", "tablet", 20, false, false, [(0, 45, 500, 60, 299), (1, 20, 500, 60, 299)]),
                ("5012345000066", "Omeprazole 20 mg capsules, 28", "capsule", 15, true, false, [(0, 25, 365, 95, 0)]),
                ("5012345000073", "Metformin 500 mg tablets, 56", "tablet", 20, true, false, [(0, 60, 420, 110, 0)]),
                ("5012345000080", "Morphine sulfate 10 mg/5 ml oral solution", "liquid", 4, true, true, [(0, 3, 240, 520, 0)]),
                ("5012345000097", "Oral rehydration salts, 6 sachets", "powder", 10, false, false, [(1, 50, 600, 80, 249)]),
            ]
        var batches = 0
        for (index, product) in shelf.enumerated() {
            // A forced second run finds its products on the shelf and receives more of them.
            let found = try await client(.manager).send(.get, "inventory/products?q=\(product.sku)")
            let existing = ((found["items"] as? [[String: Any]])?.first { $0["sku"] as? String == product.sku }?["id"] as? Int).map(Int64.init)
            let id: Int64
            if let existing {
                id = existing
            } else {
                id = try await client(.manager).create(
                    "inventory/products",
                    [
                        "sku": product.sku, "name": product.name, "form": product.form, "reorder_level": product.reorder,
                        "requires_prescription": product.rx, "controlled": product.controlled,
                    ]
                )
            }
            products[product.sku] = id
            for batch in product.batches {
                // NHS prescriptions cost the patient a flat charge; the price of a prescription-only line is the charge.
                let price = batch.price > 0 ? batch.price : 9_90
                _ = try await client(.manager).create(
                    "inventory/batches",
                    [
                        "product_id": id, "branch": branches[min(batch.branch, branches.count - 1)],
                        "batch_number": "\(product.name.prefix(2).uppercased())-\(2400 + index)\(batches)",
                        "expiry": date(calendar.date(byAdding: .day, value: batch.expiresIn, to: now)!), "quantity": batch.quantity,
                        "cost_price": batch.cost, "selling_price": price,
                    ]
                )
                batches += 1
            }
        }
        made.append("\(shelf.count) products in \(batches) batches, some low and some expiring within a month")
    }

    // MARK: Prescriptions

    private mutating func writePrescriptions() async throws {
        let pharmacy = features.contains("inventory") && tenant.definition.domain == .pharmacy
        let writer = client(.clinician)
        let items: [(patient: Int, medicine: String, strength: String, dose: String, quantity: Int, repeats: Int, sku: String?)] = [
            (0, "Amoxicillin", "500 mg", "1 capsule three times a day for 7 days", 1, 0, "5012345000035"),  // patient 1 is allergic to penicillin
            (4, "Salbutamol inhaler", "100 mcg", "2 puffs when needed for breathlessness", 1, 2, "5012345000042"),
            (7, "Metformin", "500 mg", "1 tablet twice a day with food", 1, 5, "5012345000073"),
            (10, "Omeprazole", "20 mg", "1 capsule each morning before breakfast", 1, 1, "5012345000066"),
            (13, "Ibuprofen", "200 mg", "1–2 tablets up to three times a day with food", 1, 0, "5012345000028"),
        ]
        var ids: [Int64] = []
        for item in items {
            var line: [String: Any] = [
                "medicine": item.medicine, "strength": item.strength, "dose": item.dose, "quantity": item.quantity, "repeats": item.repeats,
            ]
            if pharmacy, let sku = item.sku, let product = products[sku] { line["product_id"] = product }
            ids.append(try await writer.create("prescriptions", ["patient_id": patients[item.patient], "items": [line]]))
        }
        var dispensed = 0
        if pharmacy {
            // The first two are handed over at the counter; the metformin is sold at the till (ringUpSales).
            for id in ids.prefix(2) {
                let prescription = try await writer.send(.get, "prescriptions/\(id)")
                let lines = (prescription["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] }.map { ["item_id": $0, "quantity": 1] }
                try await writer.send(.post, "prescriptions/\(id)/dispense", ["branch": branches[0], "items": lines])
                dispensed += 1
            }
            prescriptionForTill = (ids[2], patients[items[2].patient])
        } else {
            try await writer.send(.patch, "prescriptions/\(ids[4])", ["version": 1, "status": "cancelled"])
        }
        made.append(
            "\(ids.count) prescriptions (\(dispensed == 0 ? "pending, one cancelled" : "\(dispensed) dispensed, one sold at the till, the rest pending"))"
        )
    }

    private var prescriptionForTill: (id: Int64, patient: Int64)?

    // MARK: Sales

    private mutating func ringUpSales() async throws {
        let cashier = client(.desk)
        let baskets: [(branch: Int, items: [(String, Int)], note: Int)] = [
            (0, [("5012345000011", 2), ("5012345000059", 1)], 10_00),
            (0, [("5012345000028", 1)], 5_00),
            (1, [("5012345000097", 2), ("5012345000011", 1)], 10_00),
            (0, [("5012345000059", 1)], 5_00),
        ]
        var sold = 0
        for basket in baskets {
            let items = basket.items.map { ["sku": $0.0, "quantity": $0.1] as [String: Any] }
            try await sell(cashier, branch: branches[min(basket.branch, branches.count - 1)], items: items, note: basket.note)
            sold += 1
        }
        if let (prescription, patient) = prescriptionForTill {
            try await sell(
                cashier,
                branch: branches[0],
                items: [["sku": "5012345000073", "quantity": 1]],
                note: 20_00,
                extra: ["prescription_id": prescription, "patient_id": patient]
            )
            sold += 1
        }
        made.append("\(sold) sales at the till")
    }

    /// A sale paid in cash with a note that covers it; the till works out the change, tax included.
    private func sell(_ cashier: LocalAPIClient, branch: String, items: [[String: Any]], note: Int, extra: [String: Any] = [:]) async throws {
        var body: [String: Any] = ["branch": branch, "items": items, "payments": [["method": "cash", "amount": note]]]
        body.merge(extra) { $1 }
        try await cashier.send(.post, "sales", body)
    }

    // MARK: Dates in the tenant's time

    private func date(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    private func localTime(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return self.date(date) + String(format: "T%02d:%02d", parts.hour!, parts.minute!)
    }
}
