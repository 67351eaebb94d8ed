/// `/privacy`: the plain-language promise to the people who join.
struct PrivacyPage {
    struct Section {
        let heading: String
        let text: String
    }

    let layout: Layout
    let title: String
    let summary: String
    let sections: [Section]
    let contactURL: String?
    /// Where a person sees and downloads their own data.
    let myDataURL: String
}
