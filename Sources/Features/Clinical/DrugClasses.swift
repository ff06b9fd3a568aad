import ClinicBoxCore
import Patients

/// Drug classes whose members a patient allergic to one of them should not be given without a second thought.
///
/// Members follow the WHO ATC classification (WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD
/// Index, https://atcddd.fhi.no/atc_ddd_index/): J01C penicillins, J01DB–DE cephalosporins, J01E sulfonamides,
/// J01FA macrolides, J01MA fluoroquinolones, J01AA tetracyclines, M01A non-steroidal anti-inflammatory drugs.
/// Aspirin (ATC N02BA01, B01AC06) is listed with the NSAIDs because the two cross-react in aspirin-sensitive
/// patients (NSAID-exacerbated respiratory disease). The table is a safety net for common cases, not a formulary:
/// a match is refused with a reason to override, and an empty result does not mean a drug is safe.
package struct DrugClass: Sendable {
    /// How a sentence names one member: "a penicillin".
    package var member: String
    /// Words that name the class itself in an allergy ("penicillin", "sulfa").
    package var names: Set<String>
    /// Generic names of members, lower case.
    package var members: Set<String>

    package static let all: [DrugClass] = [
        DrugClass(
            member: "a penicillin",
            names: ["penicillin", "penicillins"],
            members: [
                "amoxicillin", "amoxycillin", "ampicillin", "benzylpenicillin", "phenoxymethylpenicillin", "flucloxacillin", "cloxacillin",
                "dicloxacillin", "oxacillin", "piperacillin", "ticarcillin", "temocillin", "pivmecillinam", "mecillinam",
                "benzathine", "co-amoxiclav", "augmentin",
            ]
        ),
        DrugClass(
            member: "a cephalosporin",
            names: ["cephalosporin", "cephalosporins"],
            members: [
                "cefalexin", "cephalexin", "cefadroxil", "cefazolin", "cefuroxime", "cefaclor", "cefoxitin", "cefprozil", "cefixime", "cefotaxime",
                "ceftriaxone", "ceftazidime", "cefdinir", "cefpodoxime", "cefepime", "ceftaroline", "cefiderocol",
            ]
        ),
        DrugClass(
            member: "a sulfonamide",
            names: ["sulfa", "sulpha", "sulfonamide", "sulfonamides", "sulphonamide", "sulphonamides"],
            members: [
                "sulfamethoxazole", "sulphamethoxazole", "co-trimoxazole", "cotrimoxazole", "sulfadiazine", "sulfasalazine", "sulfadoxine", "septrin",
                "bactrim",
            ]
        ),
        DrugClass(
            member: "a macrolide",
            names: ["macrolide", "macrolides"],
            members: ["erythromycin", "clarithromycin", "azithromycin", "roxithromycin"]
        ),
        DrugClass(
            member: "a fluoroquinolone",
            names: ["quinolone", "quinolones", "fluoroquinolone", "fluoroquinolones"],
            members: ["ciprofloxacin", "levofloxacin", "moxifloxacin", "ofloxacin", "norfloxacin"]
        ),
        DrugClass(
            member: "a tetracycline",
            names: ["tetracycline", "tetracyclines"],
            members: ["doxycycline", "minocycline", "oxytetracycline", "lymecycline", "tetracycline"]
        ),
        DrugClass(
            member: "an NSAID",
            names: ["nsaid", "nsaids"],
            members: [
                "ibuprofen", "diclofenac", "naproxen", "ketoprofen", "indometacin", "indomethacin", "mefenamic", "piroxicam", "meloxicam",
                "celecoxib", "etoricoxib", "ketorolac", "aceclofenac", "flurbiprofen", "dexketoprofen", "aspirin", "acetylsalicylic",
            ]
        ),
    ]
}
