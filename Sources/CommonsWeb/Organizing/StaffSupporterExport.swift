import CommonsAudit
import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

extension StaffSupporterRoutes {
    /// The current filter as CSV, streamed 500 rows at a time; the audit log records who, when,
    /// which filter and how many rows before the first is sent.
    func export(_ request: Request, _ context: Context) async throws -> Response {
        let filter = filter(request)
        let directory = directory
        let actor = AuditActor.staff(context.staff.accountID)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"supporters.csv\""
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: SupporterCSV.headerLine()))
            try await directory.export(filter, by: actor) { records in
                try await writer.write(ByteBuffer(string: records.map(SupporterCSV.line(for:)).joined()))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
