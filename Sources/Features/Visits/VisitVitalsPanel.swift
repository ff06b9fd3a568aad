import ClinicBoxCore
import Clinical
import Foundation
import GRDB
import Patients
import Prescriptions
import Treatments

extension VisitsModule {
    /// How many recent visits the chart's vitals are taken from: enough for a trend, read from one index.
    package static let vitalsVisits = 20

    /// The recent visits with at least one vital: when, the day, each vital in `Vital.all` order, then the BMI.
    private static let vitalsQuery = """
        SELECT v.started_at, v.visit_date, \(Vital.names.map { "v.\($0)" }.joined(separator: ", ")), \(Vital.bmiSQL) AS bmi
        FROM visits v WHERE v.patient_id = :patient AND \(ChartReader.inBranches("v.branch")) AND (\(Vital.names.map { "v.\($0) IS NOT NULL" }.joined(separator: " OR ")))
        ORDER BY v.started_at DESC LIMIT \(vitalsVisits)
        """

    /// A stored moment (`2026-12-07T09:30:00Z`) as days since the epoch where the tenant is, the time of day as the
    /// fraction: the trend's x axis.
    package static func localDays(_ timestamp: String, _ timeZone: TimeZone) -> Double? {
        // Read by position: the stored form is fixed, and a chart view reads up to 20 of them.
        let bytes = Array(timestamp.utf8)
        guard bytes.count >= 19, let day = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
        func number(_ range: Range<Int>) -> Double { bytes[range].reduce(0) { $0 * 10 + Double($1 &- 48) } }
        let seconds = Double(day.daysSinceEpoch) * 86_400 + number(11..<13) * 3_600 + number(14..<16) * 60 + number(17..<19)
        return (seconds + Double(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: seconds)))) / 86_400
    }

    /// The chart's *Last vitals*: each vital's latest reading among the patient's recent visits, and the trend of
    /// weight and blood pressure drawn as SVG, from visits at the reader's branches.
    package func chartPanels(_ db: Database, patient: Int64, reader: ChartReader, time: ReadableTime) throws -> [ChartPanel] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: Self.vitalsQuery), arguments: reader.arguments(patient: patient))
        // Each row read once, by position, straight from SQLite: the vitals in `Vital.all` order, then the BMI.
        var readings: [(at: String, day: Double?, values: [Double?])] = []
        while let row = try rows.next() {
            readings.append((row[0], Self.localDays(row[0], time.timeZone), (0...Vital.all.count).map { row[2 + $0] as Double? }))
        }
        func column(_ name: String) -> Int { Vital.all.firstIndex { $0.name == name } ?? Vital.all.count }
        func latest(_ index: Int) -> (value: Double, at: String)? {
            readings.lazy.compactMap { reading in reading.values[index].map { ($0, reading.at) } }.first
        }
        let (systolic, diastolic, bmi) = (column("systolic"), column("diastolic"), Vital.all.count)
        var facts: [ChartPanel.Fact] = []
        if let pressure = readings.first(where: { $0.values[systolic] != nil && $0.values[diastolic] != nil }) {
            let (high, low) = (pressure.values[systolic]!, pressure.values[diastolic]!)
            facts.append(
                .init(
                    label: "Blood pressure",
                    value: "\(TrendChart.value(high))/\(TrendChart.value(low)) mmHg",
                    when: time.moment(pressure.at),
                    flag: Vital.pressureFlag(systolic: high, diastolic: low)
                )
            )
        }
        for (index, vital) in Vital.all.enumerated() where index != systolic && index != diastolic {
            guard let reading = latest(index) else { continue }
            facts.append(
                .init(
                    label: vital.label,
                    value: "\(TrendChart.value(reading.value)) \(vital.unit)",
                    when: time.moment(reading.at),
                    flag: vital.flag(reading.value)
                )
            )
        }
        if let reading = latest(bmi) { facts.append(.init(label: "BMI", value: TrendChart.value(reading.value), when: time.moment(reading.at))) }

        let oldestFirst = readings.reversed().compactMap { reading in reading.day.map { ($0, reading.values) } }
        func series(_ name: String, _ label: String, _ colour: String) -> TrendChart.Series {
            let index = column(name)
            return TrendChart.Series(name: label, points: oldestFirst.compactMap { day, values in values[index].map { (day, $0) } }, colour: colour)
        }
        let charts = [
            TrendChart(title: "Weight", unit: "kg", series: [series("weight", "Weight", "#1f5f8b")]),
            TrendChart(
                title: "Blood pressure",
                unit: "mmHg",
                series: [series("systolic", "Systolic", "#a40000"), series("diastolic", "Diastolic", "#1f5f8b")]
            ),
        ]
        let figures = charts.compactMap { chart in chart.svg.map { ChartPanel.Figure(svg: $0, caption: chart.summary) } }
        return [
            ChartPanel(
                id: "vitals",
                title: "Last vitals",
                facts: facts,
                figures: figures,
                empty: "No vitals recorded at a visit yet.",
                action: .clinicalRead
            )
        ]
    }
}
