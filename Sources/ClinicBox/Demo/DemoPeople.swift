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

/// Who the demo data is about: Kenyan, British and Indian names, as in the clinics ClinicBox is made for, phone
/// numbers of the tenant's own country from ranges kept for fiction where there is one, and a seeded generator so
/// the same tenant gets the same people each time.
package struct DemoPeople {
    package struct Person {
        package var first: String
        package var last: String
        package var sex: String
    }

    package static let kenyan = [
        Person(first: "Wanjiru", last: "Kamau", sex: "female"), Person(first: "Kipchoge", last: "Rotich", sex: "male"),
        Person(first: "Njeri", last: "Mwangi", sex: "female"), Person(first: "Otieno", last: "Odhiambo", sex: "male"),
        Person(first: "Akinyi", last: "Wafula", sex: "female"), Person(first: "Mutua", last: "Kilonzo", sex: "male"),
        Person(first: "Chebet", last: "Kiprono", sex: "female"), Person(first: "Wambui", last: "Njoroge", sex: "female"),
        Person(first: "Barasa", last: "Wekesa", sex: "male"), Person(first: "Auma", last: "Ochieng", sex: "female"),
    ]
    package static let british = [
        Person(first: "Oliver", last: "Bennett", sex: "male"), Person(first: "Emily", last: "Hughes", sex: "female"),
        Person(first: "George", last: "Thompson", sex: "male"), Person(first: "Charlotte", last: "Davies", sex: "female"),
        Person(first: "Harry", last: "Clarke", sex: "male"), Person(first: "Sophie", last: "Walker", sex: "female"),
        Person(first: "Thomas", last: "Wright", sex: "male"), Person(first: "Grace", last: "Robinson", sex: "female"),
    ]
    package static let indian = [
        Person(first: "Priya", last: "Sharma", sex: "female"), Person(first: "Arjun", last: "Patel", sex: "male"),
        Person(first: "Ananya", last: "Iyer", sex: "female"), Person(first: "Rohan", last: "Gupta", sex: "male"),
        Person(first: "Kavya", last: "Nair", sex: "female"), Person(first: "Vikram", last: "Reddy", sex: "male"),
        Person(first: "Meera", last: "Joshi", sex: "female"), Person(first: "Sanjay", last: "Mehta", sex: "male"),
    ]

    /// The staff: never the same names as the patients.
    package static let staff = [
        Person(first: "Achieng", last: "Otieno", sex: "female"), Person(first: "James", last: "Whitfield", sex: "male"),
        Person(first: "Lakshmi", last: "Rao", sex: "female"), Person(first: "David", last: "Kariuki", sex: "male"),
        Person(first: "Hannah", last: "Fletcher", sex: "female"), Person(first: "Nikhil", last: "Desai", sex: "male"),
    ]

    /// The patients of one tenant, the three groups interleaved.
    package static var patients: [Person] {
        (0..<max(kenyan.count, british.count, indian.count)).flatMap { index in
            [kenyan, british, indian].compactMap { index < $0.count ? $0[index] : nil }
        }
    }

    /// A mobile number in the country of the tenant's own phone (`+254 20 …` → Kenya), else a UK drama number.
    package static func phone(_ index: Int, tenantPhone: String?) -> String {
        let digits = String(format: "%03d", index % 1000)
        switch tenantPhone?.split(separator: " ").first {
        case "+254": return "+254 712 555 \(digits)"
        case "+49": return "+49 151 5555 0\(digits)"
        case "+91": return "+91 98765 43\(digits)"
        default: return "+44 7700 900\(digits)"  // Ofcom keeps 07700 900000–900999 for fiction
        }
    }
}

/// SplitMix64: the same sequence for the same seed, so a tenant's demo data does not change between runs.
package struct DemoRandom: RandomNumberGenerator {
    private var state: UInt64

    package init(seed text: String) {
        state = text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
