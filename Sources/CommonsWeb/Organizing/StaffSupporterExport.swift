import CommonsCore
import CommonsOrganizing
import Foundation
import Hummingbird

extension StaffSupporterRoutes {
    /// The current filter as CSV, streamed a row at a time; the audit log records who, when,
    /// which filter and how many rows.
    func export(_ request: Request, _ context: Context) async throws -> Response {
        let filter = filter(request)
        let records = try await directory.export(filter, by: .staff(context.staff.accountID))
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"supporters.csv\""
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: SupporterCSV.headerLine()))
            for chunk in stride(from: 0, to: records.count, by: 200) {
                let lines = records[chunk..<min(chunk + 200, records.count)].map(SupporterCSV.line(for:)).joined()
                try await writer.write(ByteBuffer(string: lines))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}
