import ClinicBoxCore

extension PatientsModule {
    /// The chart's *Merged records* section: the duplicates merged into this record, for everyone who sees the
    /// patient, and the merge form for those who may merge (`PatientMergePages`).
    var mergedRecords: ChartSection {
        ChartSection(place: .afterDetails) { db, showing in
            try PatientMerge.mergedInto(db, patient: showing.patient)
        } render: { merges, showing in
            let (context, time) = (showing.context, showing.context.tenant.readableTime)
            let mayMerge = context.allows(.patientsMerge)
            guard !merges.isEmpty || mayMerge else { return nil }
            let mine = showing.refused?.of("merge")
            var data: [String: Any] = [
                "hasMerges": !merges.isEmpty,
                "merges": merges.map { ["number": $0.number, "name": $0.name, "reason": $0.reason, "by": $0.by, "at": time.moment($0.at)] },
            ]
            if mayMerge {
                func field(_ name: String, _ label: String, _ kind: FormField.Kind) -> FormField {
                    FormField(name: name, label: label, kind: kind, value: mine?.values[name] ?? "", autocomplete: "off", error: mine?.errors[name])
                }
                data["canMerge"] = true
                data["mergeAction"] = showing.chartPath + "/merge"
                // Empty, as on nearly every chart view, the two boxes are rendered once and kept like the chart's other forms.
                data["mergeFields"] = showing.pages.fields(
                    [
                        field("duplicate", "The duplicate's patient number", .input(type: "text")),
                        field("reason", "Why these are the same person", .textArea),
                    ],
                    context,
                    database: showing.database
                )
                if let message = mine?.message { data["mergeMessage"] = message }
                data["mergeOpen"] = mine != nil
            }
            return showing.pages.fragment(context, "chart-merges", data: data)
        }
    }
}
