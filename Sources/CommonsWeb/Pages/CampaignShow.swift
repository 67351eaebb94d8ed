import CommonsContent
import CommonsOrganizing

/// `/campaigns/SLUG`: what the campaign asks for.
struct CampaignShow {
    let layout: Layout
    let title: String
    let kindLabel: String
    let descriptionHTML: String
    let petitionText: String?
    let isClosed: Bool

    init(_ campaign: Campaign, layout: Layout, formatting: Formatting) {
        self.layout = layout
        title = campaign.title
        kindLabel = formatting.strings[campaign.kind == .petition ? "campaign.kind_petition" : "campaign.kind_signup"]
        descriptionHTML = MarkdownRenderer().html(from: campaign.description)
        petitionText = campaign.kind == .petition && !campaign.petitionText.isEmpty ? campaign.petitionText : nil
        isClosed = campaign.status == .closed
    }
}

/// `/SLUG`: a standing page.
struct PageShow {
    let layout: Layout
    let title: String
    let bodyHTML: String

    init(_ page: Page, layout: Layout) {
        self.layout = layout
        title = page.title
        bodyHTML = MarkdownRenderer().html(from: page.body)
    }
}

/// The page shown for 404, 410 and 500 answers.
struct ErrorPage {
    let layout: Layout
    let heading: String
    let text: String
    let homeURL: String
    let newsURL: String
}
