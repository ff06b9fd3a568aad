import ClinicBoxCore
import Patients
import Prescriptions
import Treatments

/// The vital signs a visit records, each with the range a real measurement falls in. A value outside it is a
/// typing mistake far more often than a patient (`57` for `37.5`), so it is refused with the range.
package struct Vital: Sendable {
    package var name: String
    package var label: String
    package var unit: String
    package var range: ClosedRange<Double>
    /// Stored as a whole number (mmHg, beats a minute, %), else with one decimal.
    package var whole: Bool
    /// Where an adult's reading stops being normal: below `low` is flagged low, from `high` on flagged high.
    /// Plausible (`range`) is what a measurement can be; normal is what needs no second look.
    package var normal: Normal = .init()

    package struct Normal: Sendable {
        package var low: Double?
        package var high: Double?
        /// Why the thresholds are these, for the README and whoever changes them.
        package var source = ""
    }

    /// The visit's field for it: read, stored, documented and shown on the form as `RecordField.measurement`.
    package var field: RecordField { .measurement(name, label, range, unit: unit, whole: whole) }

    /// "high" or "low" when `value` is outside the normal range, else nil.
    package func flag(_ value: Double) -> String? {
        if let high = normal.high, value >= high { return "high" }
        if let low = normal.low, value < low { return "low" }
        return nil
    }

    /// The one table of vitals: plausible ranges (refused outside) and adults' normal ranges (flagged outside), each
    /// threshold with its source. Children's normal values differ by age; these flags are for adults.
    package static let all: [Vital] = [
        Vital(
            name: "systolic",
            label: "Blood pressure, systolic",
            unit: "mmHg",
            range: 50...260,
            whole: true,
            normal: .init(
                low: 90,
                high: 140,
                source: "NICE NG136 (2019, updated 2023): clinic blood pressure of 140/90 mmHg or more; below 90 systolic is hypotension"
            )
        ),
        Vital(
            name: "diastolic",
            label: "Blood pressure, diastolic",
            unit: "mmHg",
            range: 30...160,
            whole: true,
            normal: .init(high: 90, source: "NICE NG136: clinic blood pressure of 140/90 mmHg or more")
        ),
        Vital(
            name: "pulse",
            label: "Pulse",
            unit: "/min",
            range: 20...250,
            whole: true,
            normal: .init(low: 60, high: 101, source: "American Heart Association: a resting adult heart rate of 60 to 100 beats a minute")
        ),
        Vital(
            name: "respiratory_rate",
            label: "Respiratory rate",
            unit: "/min",
            range: 4...70,
            whole: true,
            normal: .init(low: 12, high: 21, source: "Royal College of Physicians, NEWS2 (2017): 12 to 20 breaths a minute scores 0")
        ),
        Vital(
            name: "temperature",
            label: "Temperature",
            unit: "°C",
            range: 25...45,
            whole: false,
            normal: .init(low: 35, high: 38, source: "NICE NG143 and CG191: fever is 38 °C or more; below 35 °C is hypothermia")
        ),
        Vital(
            name: "spo2",
            label: "SpO₂",
            unit: "%",
            range: 50...100,
            whole: true,
            normal: .init(low: 94, source: "British Thoracic Society guideline for oxygen use (2017): target saturation 94 to 98 % for most adults")
        ),
        Vital(name: "weight", label: "Weight", unit: "kg", range: 0.3...400, whole: false),
        Vital(name: "height", label: "Height", unit: "cm", range: 20...250, whole: false),
        Vital(
            name: "glucose",
            label: "Blood glucose",
            unit: "mmol/L",
            range: 1...50,
            whole: false,
            normal: .init(
                low: 4,
                high: 11.1,
                source: "WHO (2006): a random plasma glucose of 11.1 mmol/L or more suggests diabetes; NICE NG17: below 4 mmol/L is hypoglycaemia"
            )
        ),
    ]

    /// "Blood pressure 150/95 mmHg is high": the visit page and the chart show a reading with its flag in words.
    package static func pressureFlag(systolic: Double, diastolic: Double) -> String? {
        let flags = [named("systolic")?.flag(systolic), named("diastolic")?.flag(diastolic)].compactMap { $0 }
        return flags.contains("high") ? "high" : flags.first
    }

    package static var names: [String] { all.map(\.name) }

    package static func named(_ name: String) -> Vital? { all.first { $0.name == name } }

    /// Body mass index from kg and cm, to one decimal.
    package static func bmi(weight: Double?, height: Double?) -> Double? {
        guard let weight, let height, height > 0 else { return nil }
        return ((weight / (height / 100 * height / 100)) * 10).rounded() / 10
    }

    /// `bmi` as SQL over the visits row `v`.
    package static let bmiSQL =
        "CASE WHEN v.weight IS NOT NULL AND v.height > 0 THEN round(v.weight / ((v.height / 100.0) * (v.height / 100.0)), 1) END"
}
