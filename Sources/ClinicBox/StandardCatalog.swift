import Appointments
import Billing
import ClinicBoxCore
import Clinical
import Documents
import Inventory
import Patients
import Prescriptions
import Reports
import Sales
import Treatments
import Visits

extension FeatureCatalog {
    /// The modules that ship with ClinicBox, and the one place that lists them. Adding a module = one line here.
    public static let standard = FeatureCatalog(modules: [
        PatientsModule(),
        ClinicalModule(),
        DocumentsModule(),
        AppointmentsModule(),
        TreatmentsModule(),
        PrescriptionsModule(),
        InventoryModule(),
        SalesModule(),
        VisitsModule(),
        BillingModule(),
        ReportsModule(),
    ])
}

extension AppConfiguration {
    /// A configuration serving the modules that ship.
    public init() { self.init(catalog: .standard) }
}

extension ClinicBoxServer {
    /// What `clinicbox routes` prints for the modules that ship.
    public static func routeTable() throws -> RouteTable { try routeTable(catalog: .standard) }
}
