import ClinicBoxCore
import GRDB
import Patients

extension TreatmentsModule {
    /// The chart's *Teeth*: the odontogram of the patient's planned and done treatments, and what each comes to.
    /// Treatments belong to the patient, not to a branch, so every reader who may see plans sees the same chart.
    package func chartPanels(_ db: Database, patient: Int64, reader: ChartReader, time: ReadableTime) throws -> [ChartPanel] {
        guard let (chart, number) = try Odontogram.read(db, patient: patient, today: .today(in: time.timeZone)) else { return [] }
        let (planned, done) = (chart.counts.planned, chart.counts.done)
        var facts: [ChartPanel.Fact] = []
        if planned + done > 0 {
            facts = [.init(label: "Planned", value: Self.count(planned), when: ""), .init(label: "Done", value: Self.count(done), when: "")]
        }
        // Relative to the chart page (`…/patients/12`), so it works under a path prefix and on a tenant's own host.
        let svg = chart.svg { tooth in "../treatments?patient=\(number)&tooth=\(tooth)#add" }
        return [
            ChartPanel(
                id: "teeth",
                title: "Teeth",
                facts: facts,
                figures: [.init(svg: svg, caption: "Red: planned; blue: done. Select a tooth to add a treatment for it.", kind: "odontogram")],
                empty: "No treatments planned or done yet.",
                action: .treatmentsRead
            )
        ]
    }

    private static func count(_ number: Int) -> String { number == 1 ? "1 treatment" : "\(number) treatments" }
}

extension Odontogram {
    /// The patient's chart from their treatments, with their number; nil when there is no such patient.
    package static func read(_ db: Database, patient: Int64, today: CalendarDate) throws -> (Odontogram, number: String)? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT number, date_of_birth FROM patients WHERE id = ?"), arguments: [patient])
        else {
            return nil
        }
        // One pass over the patient's treatments: the teeth's work, and the counts of the whole plan.
        var (work, planned, done) = ([Int: [Work]](), 0, 0)
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT tooth, surfaces, procedure, status FROM treatments WHERE patient_id = ? ORDER BY id"),
            arguments: [patient]
        )
        while let item = try rows.next() {
            let isDone = item["status"] == "done"
            if isDone { done += 1 } else { planned += 1 }
            guard let tooth = item["tooth"] as Int64? else { continue }
            work[Int(tooth), default: []].append(Work(procedure: item["procedure"], surfaces: item["surfaces"], done: isDone))
        }
        let born = (row["date_of_birth"] as String?).flatMap(CalendarDate.init)
        var chart = Odontogram(work: work, childAge: born.map { Self.years(born: $0, today: today) < 13 } ?? false)
        chart.counts = (planned, done)
        return (chart, row["number"])
    }

    /// Whole years of age; primary teeth are charted until about 12, when the last of them are usually lost.
    private static func years(born: CalendarDate, today: CalendarDate) -> Int {
        today.year - born.year - ((today.month, today.day) < (born.month, born.day) ? 1 : 0)
    }
}
