import GRDB

extension VisitsModule {
    /// How many recent visits the chart's vitals are taken from: enough for a trend, read from one index.
    static let vitalsVisits = 20

    /// The chart's *Last vitals*: each vital's latest reading among the patient's recent visits, and the trend of
    /// weight and blood pressure drawn as SVG.
    func chartPanels(_ db: Database, patient: Int64, time: ReadableTime) throws -> [ChartPanel] {
        let measured = Vital.names.map { "v.\($0) IS NOT NULL" }.joined(separator: " OR ")
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT v.started_at, v.visit_date, \(Vital.names.map { "v.\($0)" }.joined(separator: ", ")), \(Vital.bmiSQL) AS bmi
                FROM visits v WHERE v.patient_id = ? AND (\(measured)) ORDER BY v.started_at DESC LIMIT \(Self.vitalsVisits)
                """),
            arguments: [patient]
        )
        func latest(_ name: String) -> (value: Double, at: String)? {
            rows.lazy.compactMap { row in (row[name] as Double?).map { ($0, row["started_at"] as String) } }.first
        }
        var facts: [ChartPanel.Fact] = []
        if let pressure = rows.first(where: { $0["systolic"] != nil && $0["diastolic"] != nil }) {
            facts.append(.init(label: "Blood pressure", value: "\(pressure["systolic"] as Int)/\(pressure["diastolic"] as Int) mmHg", when: time.moment(pressure["started_at"])))
        }
        for vital in Vital.all where vital.name != "systolic" && vital.name != "diastolic" {
            guard let reading = latest(vital.name) else { continue }
            facts.append(.init(label: vital.label, value: "\(TrendChart.value(reading.value)) \(vital.unit)", when: time.moment(reading.at)))
        }
        if let bmi = latest("bmi") { facts.append(.init(label: "BMI", value: TrendChart.value(bmi.value), when: time.moment(bmi.at))) }

        let oldestFirst = rows.reversed().compactMap { row in (row["visit_date"] as String?).flatMap(CalendarDate.init).map { ($0.daysSinceEpoch, row) } }
        func series(_ name: String, _ label: String, _ colour: String) -> TrendChart.Series {
            TrendChart.Series(name: label, points: oldestFirst.compactMap { day, row in (row[name] as Double?).map { (day, $0) } }, colour: colour)
        }
        let charts = [
            TrendChart(title: "Weight", unit: "kg", series: [series("weight", "Weight", "#1f5f8b")]),
            TrendChart(title: "Blood pressure", unit: "mmHg", series: [series("systolic", "Systolic", "#a40000"), series("diastolic", "Diastolic", "#1f5f8b")]),
        ]
        let figures = charts.compactMap { chart in chart.svg.map { ChartPanel.Figure(svg: $0, caption: chart.summary) } }
        return [
            ChartPanel(id: "vitals", title: "Last vitals", facts: facts, figures: figures, empty: "No vitals recorded at a visit yet.", action: .clinicalRead)
        ]
    }
}
