extension TenantDefinition {
    /// The paper a tenant prints on (`printing:`): sheets for invoices, statements, prescriptions and visit
    /// summaries, the receipt printer's roll, and the dispensing label.
    public struct Printing: Sendable, Equatable {
        public var sheet = PaperSize.a4
        /// The roll's width in millimetres (58 and 80 are the common thermal rolls).
        public var receiptWidth = 80
        public var label = PaperSize(width: 70, height: 36, kind: .label)

        public static let standard = Printing()

        /// How the tenant file's change list and the README say it.
        public var summary: String {
            "\(sheet.name) sheets, \(receiptWidth) mm receipts, \(label.width) × \(label.height) mm labels"
        }
    }
}
