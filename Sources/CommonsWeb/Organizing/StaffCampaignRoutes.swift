import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

/// The campaign editor: create, edit, close or reopen, feature; what a campaign's form asks.
struct StaffCampaignRoutes {
    typealias Context = StaffContext<OrganizingArea>
    let site: Site

    func register(on group: RouterGroup<Context>) {
        group.get(StaffPath.campaigns) { _, context in try await campaignList(context) }
        group.get(StaffPath.newCampaign) { _, context in
            try await campaignEditor(nil, values: ["kind": "signup", "status": "open", "sends_confirmation": "yes"], context)
        }
        group.post(StaffPath.campaigns) { request, context in try await saveCampaign(nil, request, context) }
        group.get(StaffPath.campaign) { _, context in
            let campaign = try await campaign(context)
            let cosponsors = site.cosponsorValues(try await site.coalition.cosponsors(ofCampaign: campaign.requireID()))
            return try await campaignEditor(campaign, values: Self.values(of: campaign).merging(cosponsors) { $1 }, context)
        }
        group.post(StaffPath.campaign) { request, context in try await saveCampaign(try await campaign(context), request, context) }
    }

    func campaign(_ context: Context) async throws -> Campaign {
        guard let campaign = try await site.campaigns.campaign(id: context.parameters.uuid("id")) else {
            throw SiteError.notFound
        }
        return campaign
    }

    static func values(of campaign: Campaign) -> [String: String] {
        var values = [
            "title": campaign.title, "slug": campaign.slug, "kind": campaign.kind.rawValue, "description": campaign.description,
            "petition_text": campaign.petitionText, "petition_target": campaign.petitionTarget, "goal": campaign.goal.map(String.init) ?? "",
            "status": campaign.status.rawValue, "thank_you": campaign.thankYou, "featured": campaign.featured ? "yes" : "",
            "sends_confirmation": campaign.sendsConfirmation ? "yes" : "",
            "double_opt_in": campaign.doubleOptIn ? "yes" : "",
            "supporter_tags": campaign.tagList.joined(separator: ", "),
        ]
        for field in PersonField.optional {
            if campaign.asked.contains(field) { values["ask_\(field.rawValue)"] = "yes" }
            if campaign.required.contains(field) { values["require_\(field.rawValue)"] = "yes" }
        }
        return values
    }

    func campaignList(_ context: Context) async throws -> Response {
        let strings = site.strings(context.language)
        let rows = try await site.campaigns.all().map { campaign in
            StaffListPage.Row(
                title: campaign.title,
                url: context.link(StaffPath.campaign, campaign.id!),
                cells: [
                    strings[campaign.kind == .petition ? "campaign.kind_petition" : "campaign.kind_signup"],
                    strings["staff.campaign_\(campaign.status.rawValue)"],
                    campaign.featured ? strings["staff.featured"] : "",
                ]
            )
        }
        return try await site.staffList(
            heading: strings["staff.nav_campaigns"],
            path: context.link(StaffPath.campaigns),
            newURL: context.link(StaffPath.newCampaign),
            newLabel: strings["staff.new_campaign"],
            columns: [strings["staff.post_title"], strings["staff.kind"], strings["staff.status"], strings["staff.featured"]],
            rows: rows,
            staff: context.staff,
            language: context.language
        )
    }

    func campaignEditor(
        _ campaign: Campaign?,
        values: [String: String],
        errors: ValidationErrors = .init(),
        status: HTTPResponse.Status = .ok,
        _ context: Context
    ) async throws -> Response {
        let strings = site.strings(context.language)
        let messages = StaffFormPage.messages(errors, strings)
        let heading = campaign.map { strings.format("staff.edit_post", ["title": $0.title]) } ?? strings["staff.new_campaign"]
        let kinds = Campaign.Kind.allCases.map {
            ActionForm.Option(
                value: $0.rawValue,
                label: strings[$0 == .petition ? "campaign.kind_petition" : "campaign.kind_signup"],
                selected: false
            )
        }
        let statuses = Campaign.Status.allCases.map {
            ActionForm.Option(value: $0.rawValue, label: strings["staff.campaign_\($0.rawValue)"], selected: false)
        }
        var fields = [
            StaffField("title", .text, label: strings["staff.post_title"], values: values, errors: messages),
            StaffField("slug", .text, label: strings["staff.slug"], hint: strings["staff.slug_hint"], values: values, errors: messages),
            StaffField("kind", .select(kinds), label: strings["staff.kind"], values: values, errors: messages),
            StaffField("status", .select(statuses), label: strings["staff.status"], values: values, errors: messages),
            StaffField(
                "description",
                .textarea(rows: 8),
                label: strings["staff.description"],
                hint: strings["staff.body_hint"],
                values: values,
                errors: messages
            ),
            StaffField("petition_text", .textarea(rows: 4), label: strings["staff.petition_text"], values: values, errors: messages),
            StaffField("petition_target", .text, label: strings["staff.petition_target"], values: values, errors: messages),
            StaffField("goal", .number, label: strings["staff.goal"], values: values, errors: messages),
            StaffField("thank_you", .textarea(rows: 3), label: strings["staff.thank_you"], values: values, errors: messages),
            StaffField(
                "supporter_tags",
                .text,
                label: strings["staff.supporter_tags"],
                hint: strings["staff.comma_hint"],
                values: values,
                errors: messages
            ),
            StaffField("featured", .checkbox, label: strings["staff.feature_on_home"], values: values, errors: messages),
            StaffField("sends_confirmation", .checkbox, label: strings["staff.campaign_sends_confirmation"], values: values, errors: messages),
            StaffField(
                "double_opt_in",
                .checkbox,
                label: strings["staff.campaign_double_opt_in"],
                hint: strings["staff.campaign_double_opt_in_hint"],
                values: values,
                errors: messages
            ),
        ]
        for field in PersonField.allCases where PersonField.optional.contains(field) {
            fields.append(
                StaffField(
                    "ask_\(field.rawValue)",
                    .checkbox,
                    label: strings.format("staff.ask_field", ["field": strings["form.\(field.rawValue)"]]),
                    values: values,
                    errors: messages
                )
            )
            fields.append(
                StaffField(
                    "require_\(field.rawValue)",
                    .checkbox,
                    label: strings.format("staff.require_field", ["field": strings["form.\(field.rawValue)"]]),
                    values: values,
                    errors: messages
                )
            )
        }
        fields += try await site.cosponsorFields(values: values, strings: strings)
        return try await site.staffEditor(
            heading: heading,
            list: StaffPath.campaigns,
            action: campaign.map { context.link(StaffPath.campaign, $0.id!) } ?? context.link(StaffPath.campaigns),
            fields: fields,
            errors: errors,
            status: status,
            publicURL: campaign.map { SitePath.campaign(in: context.language, $0.slug) },
            translated: (.campaign, campaign?.id),
            context
        )
    }

    func saveCampaign(_ campaign: Campaign?, _ request: Request, _ context: Context) async throws -> Response {
        let fields = context.form.fields
        var errors = ValidationErrors()
        var goal: Int?
        if let raw = fields["goal"]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty {
            goal = Int(raw)
            if goal == nil { errors.add(field: "goal", message: "error.goal_invalid") }
        }
        let asked = Set(PersonField.optional.filter { fields["ask_\($0.rawValue)"] == "yes" })
        let required = Set(PersonField.optional.filter { fields["require_\($0.rawValue)"] == "yes" })
        let draft = CampaignDraft(
            title: fields["title"] ?? "",
            slug: fields["slug"],
            kind: Campaign.Kind(rawValue: fields["kind"] ?? "") ?? .signup,
            description: fields["description"] ?? "",
            petitionText: fields["petition_text"] ?? "",
            petitionTarget: fields["petition_target"] ?? "",
            goal: goal,
            status: Campaign.Status(rawValue: fields["status"] ?? "") ?? .open,
            thankYou: fields["thank_you"] ?? "",
            featured: fields["featured"] == "yes",
            supporterTags: (fields["supporter_tags"] ?? "").split(separator: ",").map(String.init),
            askedFields: asked,
            requiredFields: required,
            sendsConfirmation: fields["sends_confirmation"] == "yes",
            doubleOptIn: fields["double_opt_in"] == "yes",
            cosponsors: try await site.cosponsorsTicked(fields)
        )
        return try await saveOrShowAgain(found: errors) {
            let saved =
                if let campaign { try await site.campaigns.update(campaign.requireID(), with: draft) } else { try await site.campaigns.create(draft) }
            return context.link(StaffPath.campaign, try saved.requireID())
        } showAgain: { errors in
            try await campaignEditor(campaign, values: fields, errors: errors, status: .unprocessableContent, context)
        }
    }
}
