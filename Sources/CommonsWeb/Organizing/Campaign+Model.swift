import CommonsContent
import CommonsCore
import CommonsOrganizing
import Foundation

/// `/campaigns/SLUG`: what the campaign asks for, and its form.
struct CampaignShow {
    let layout: Layout
    let title: String
    let contentLang: String?
    let untranslatedNote: String?
    let kindLabel: String
    let descriptionHTML: String
    let petitionText: String?
    /// The petition's own words are not translated: `lang="en"` on other languages' pages.
    let petitionLang: String?
    let petitionTarget: String?
    /// "1,204 people have signed", for petitions only; never who.
    let signatureCount: String?
    let goalText: String?
    let progressValue: Int?
    let progressMax: Int?
    let isClosed: Bool
    let form: ActionForm?
    /// The member organizations co-sponsoring it.
    let cosponsors: [CoalitionMemberLink]
    let hasCosponsors: Bool

    init(
        _ campaign: Campaign,
        words: TranslatedText,
        signatures: Int,
        form: ActionForm?,
        cosponsors: [CoalitionMemberLink] = [],
        layout: Layout,
        formatting: Formatting
    ) {
        let strings = formatting.strings
        let locale = Locale(identifier: formatting.language.localeIdentifier)
        self.layout = layout
        self.form = form
        self.cosponsors = cosponsors
        hasCosponsors = !cosponsors.isEmpty
        title = words.title
        contentLang = words.contentLang
        untranslatedNote = words.untranslatedNote
        kindLabel = strings[campaign.kind == .petition ? "campaign.kind_petition" : "campaign.kind_signup"]
        descriptionHTML = words.bodyHTML
        let isPetition = campaign.kind == .petition
        petitionText = isPetition && !campaign.petitionText.isEmpty ? campaign.petitionText : nil
        petitionLang = formatting.language == .english ? nil : Language.english.tag
        petitionTarget = isPetition && !campaign.petitionTarget.isEmpty ? strings.format("campaign.target", ["target": campaign.petitionTarget]) : nil
        signatureCount = isPetition ? strings.format("campaign.signatures", ["count": signatures.formatted(.number.locale(locale))]) : nil
        goalText = isPetition ? campaign.goal.map { strings.format("campaign.goal", ["goal": $0.formatted(.number.locale(locale))]) } : nil
        progressValue = isPetition && campaign.goal != nil ? min(signatures, campaign.goal ?? 0) : nil
        progressMax = isPetition ? campaign.goal : nil
        isClosed = campaign.status == .closed
    }
}

/// `/campaigns/SLUG/thanks` and `/events/SLUG/thanks`.
struct ThanksPage {
    let layout: Layout
    let heading: String
    let message: String
    let detail: String?
    /// An event's online link, shown only to the person who answered.
    let onlineURL: String?
    let backURL: String
    let backLabel: String
}

/// `/SLUG`: a standing page.
struct PageShow {
    let layout: Layout
    let title: String
    let bodyHTML: String
    let contentLang: String?
    let untranslatedNote: String?

    init(words: TranslatedText, layout: Layout) {
        self.layout = layout
        title = words.title
        bodyHTML = words.bodyHTML
        contentLang = words.contentLang
        untranslatedNote = words.untranslatedNote
    }
}

/// The page shown for 404, 410, 429 and 500 answers.
struct ErrorPage {
    let layout: Layout
    let heading: String
    let text: String
    let homeURL: String
    let newsURL: String
}
