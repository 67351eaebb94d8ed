import CommonsAccounts
import CommonsContent
import Foundation
import Hummingbird

/// Step-up: the actions that could hurt the most (exporting or deleting supporters, API tokens
/// and webhooks, roles and two-factor resets, sending a mailing) need the password or a code
/// entered in this session within the last ten minutes. Otherwise the page asks for it and
/// then goes on with what was asked: a form comes back with every field it was sent with
/// (and posts to the same address again), a page (the export) continues after the form.
struct StepUpPage {
    struct Field {
        let name: String
        let value: String
    }

    let layout: StaffLayout
    let action: String
    let fields: [Field]
    let error: String?
    let cancelURL: String
}

extension Site {
    /// Runs `action` when the session's step-up is fresh, or when the request carries the
    /// password or a code (`step_up`) that passes; otherwise answers the step-up page.
    func stepUp<Area: StaffArea>(
        _ request: Request,
        _ context: StaffContext<Area>,
        then action: () async throws -> Response
    ) async throws -> Response {
        if context.staff.stepUpFresh { return try await action() }
        let isForm = request.method == .post
        guard isForm, let secret = context.form.fields["step_up"], !secret.isEmpty else {
            return try await stepUpPage(request, context)
        }
        if let refusal = try await refusal(of: secret, request, context) { return refusal }
        return try await action()
    }

    /// The step-up form of a page (a GET): checks the password or code, then sends the staff
    /// member back to the page (`return_to`, an address of the staff area only).
    func confirmStepUp(_ request: Request, _ context: StaffContext<AnyStaffArea>) async throws -> Response {
        let fields = context.form.fields
        let target = fields["return_to"].flatMap(StaffInput.staffAddress) ?? context.link(StaffPath.home)
        guard let secret = fields["step_up"], !secret.isEmpty else {
            return try await stepUpPage(request, context, returnTo: target, status: .unprocessableContent)
        }
        if let refusal = try await refusal(of: secret, request, context, returnTo: target) { return refusal }
        return Response.redirect(to: target, type: .normal)
    }

    /// Checks the password or code: nil when it passes (the session's step-up is fresh now),
    /// else the step-up page again, 401 with what was wrong or 429 with the wait.
    private func refusal(
        of secret: String,
        _ request: Request,
        _ context: StaffContext<some StaffArea>,
        returnTo: String? = nil
    ) async throws -> Response? {
        let outcome = try await SignInDesk(database: database, clock: clock).stepUp(
            token: context.staff.sessionToken,
            accountID: context.staff.accountID,
            secret: secret,
            twoFactor: twoFactor
        )
        switch outcome {
        case .verified:
            return nil
        case .refused:
            let error = strings(context.language)["staff.step_up_refused"]
            return try await stepUpPage(request, context, returnTo: returnTo, error: error, status: .unauthorized)
        case .throttled(let wait):
            let error = strings(context.language).format("staff.locked_out", ["minutes": String((wait + 59) / 60)])
            var response = try await stepUpPage(request, context, returnTo: returnTo, error: error, status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
    }

    /// The page asking for the password or a code. For a form, it posts back to the same
    /// address with the form's fields; for a page, to the step-up address with where to return.
    private func stepUpPage<Area: StaffArea>(
        _ request: Request,
        _ context: StaffContext<Area>,
        returnTo: String? = nil,
        error: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let strings = strings(context.language)
        let layout = try await staffLayout(
            title: strings["staff.step_up_title"],
            path: context.link(StaffPath.stepUp),
            staff: context.staff,
            language: context.language
        )
        let action: String
        var fields: [StepUpPage.Field]
        if request.method == .post, returnTo == nil {
            action = request.uri.path
            fields = context.form.fields.filter { $0.key != "step_up" && $0.key != "csrf_token" }.sorted { $0.key < $1.key }
                .map { StepUpPage.Field(name: $0.key, value: $0.value) }
        } else {
            action = context.link(StaffPath.stepUp)
            let back = returnTo ?? request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            fields = [StepUpPage.Field(name: "return_to", value: back)]
        }
        fields.insert(StepUpPage.Field(name: "csrf_token", value: context.staff.csrfToken), at: 0)
        let model = StepUpPage(layout: layout, action: action, fields: fields, error: error, cancelURL: context.link(StaffPath.home))
        return views.page(.staffStepUp, model, status: status)
    }
}
