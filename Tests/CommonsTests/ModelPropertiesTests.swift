import CommonsAccounts
import CommonsAudit
import CommonsContent
import CommonsImport
import CommonsMail
import CommonsOrganizing
import CommonsPartners
import FluentKit
import Foundation
import Testing

/// Every model names its database properties itself (`properties`), because FluentKit's own
/// list is found by reflection on every save, load and query, and that was the largest part of a
/// sign-up's time. A list written by hand can fall behind its model; these tests catch that.
@Suite("Model properties")
struct ModelPropertiesTests {
    static let models: [any Model.Type] = [
        AuditEntry.self, ImportedItem.self, Page.self, SiteSetting.self, Document.self, StoredFile.self, PostRevision.self,
        Redirect.self, Post.self, CommonsContent.Category.self, Tag.self, PostCategory.self, PostTag.self, ImageVariant.self,
        Dataset.self, ContentTranslation.self, APIToken.self, Webhook.self, WebhookDelivery.self, StaffAccount.self,
        StaffSession.self, RecoveryCode.self, SignInFailure.self, UsedSignInForm.self, OutboxMessage.self, MailSuppression.self,
        Mailing.self, MailingVersion.self, Campaign.self, Supporter.self, SupporterTag.self, Action.self, Event.self,
        ErasedPerson.self, Member.self, Cosponsorship.self, SelfServiceLink.self, SupporterChange.self,
    ]

    /// The same property objects, in the same order, as reflection finds on a new instance.
    @Test func test_each_models_list_is_what_reflection_finds() {
        for type in Self.models {
            let model = type.init()
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
            let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
            #expect(!listed.isEmpty)
            #expect(listed == reflected, "\(type)'s properties differ from its declarations")
        }
    }

    /// Each model class in the sources is in the list above and declares its own list (without
    /// one, FluentKit's reflected list is used, which the test above could not tell apart).
    @Test func test_every_model_in_the_sources_declares_its_list_and_is_checked() throws {
        let sources = StructureTests.sources
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
        var declared: [String] = []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            let classes = text.components(separatedBy: "final class ").dropFirst()
            for body in classes {
                let name = String(body.prefix { $0.isLetter || $0.isNumber })
                guard body.dropFirst(name.count).hasPrefix(": Model") else { continue }
                declared.append(name)
                let ownBody = body.components(separatedBy: "\n}").first ?? ""
                #expect(ownBody.contains("var properties: [any AnyProperty]"), "\(name) in \(file.lastPathComponent) lists no properties")
            }
        }
        #expect(Set(declared) == Set(Self.models.map { String(describing: $0) }))
        #expect(declared.count == Self.models.count)
    }
}
