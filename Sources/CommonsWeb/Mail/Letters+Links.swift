import CommonsContent
import CommonsCore
import CommonsMail
import CommonsPrivacy
import Foundation

/// The letters that carry a link only their reader may use: to their own data, to stop mail.
extension Letters {
    /// The link to a person's own data, which they asked for on `/my-data`.
    func myDataLink(to address: String, name: String?, languageCode: String?, token: String, siteName: String) -> MailMessage {
        let language = language(languageCode)
        let strings = catalogs[language]
        let lines = [
            Line(text: greeting(name, strings)),
            Line(text: strings.format("mail.my_data_text", ["site": siteName]), link: link(SitePath.myDataLink(token), language)),
            Line(text: strings["mail.my_data_ignore"]),
        ]
        return message(
            to: address,
            subject: strings.format("mail.my_data_subject", ["site": siteName]),
            lines: lines + footer(transactional: true, siteName: siteName, strings),
            language: language
        )
    }

    /// The signed one-click link: proof enough to stop, worthless for anything else.
    func unsubscribeURL(_ supporterID: UUID, _ language: Language) -> String {
        let token = SignedValue(keys: keys, purpose: "unsubscribe").sign(supporterID.uuidString.lowercased())
        return link(SitePath.unsubscribe(token), language)
    }
}
