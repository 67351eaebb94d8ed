extension StaffFormPage {
    /// A section below the form: figures in a table, and code to copy (an embed snippet).
    struct Panel {
        struct Row {
            let label: String
            let value: String
        }

        struct Snippet {
            let id: String
            let label: String
            let code: String
        }

        let id: String
        let heading: String
        let intro: String?
        let columns: [String]
        let rows: [Row]
        let hasRows: Bool
        let snippets: [Snippet]

        init(id: String, heading: String, intro: String? = nil, columns: [String] = [], rows: [Row] = [], snippets: [Snippet] = []) {
            self.id = id
            self.heading = heading
            self.intro = intro
            self.columns = columns
            self.rows = rows
            hasRows = !rows.isEmpty
            self.snippets = snippets
        }
    }
}
