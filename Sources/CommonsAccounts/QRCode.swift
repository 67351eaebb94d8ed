/// A QR code (ISO/IEC 18004) for a short text, drawn as SVG on the server: byte mode, error
/// correction level M, the smallest version that holds the text, the mask with the lowest
/// penalty. Used for the `otpauth://` link on the two-factor enrolment page, so nothing is
/// loaded from elsewhere and no script runs. Follows the structure of Project Nayuki's
/// qrcodegen; tests read the result back with zxing-cpp.
public struct QRCode: Sendable {
    /// `modules[y][x]`: true for a dark module.
    private(set) var modules: [[Bool]]
    private var isFunction: [[Bool]]
    public let version: Int
    public var size: Int { version * 4 + 17 }

    /// Nil when the text does not fit in version 40 (2,331 bytes).
    public init?(_ text: String) {
        let data = Array(text.utf8)
        guard let version = (1...40).first(where: { Self.capacityBits($0) >= 4 + Self.countBits($0) + data.count * 8 }) else { return nil }
        self.version = version
        let size = version * 4 + 17
        modules = Array(repeating: Array(repeating: false, count: size), count: size)
        isFunction = modules
        drawFunctionPatterns()
        let codewords = Self.addErrorCorrection(Self.dataCodewords(data, version: version), version: version)
        drawCodewords(codewords)
        var best: (mask: Int, penalty: Int)?
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatBits(mask: mask)
            let penalty = self.penalty()
            if best == nil || penalty < best!.penalty { best = (mask, penalty) }
            applyMask(mask)  // XOR again: undone
        }
        applyMask(best!.mask)
        drawFormatBits(mask: best!.mask)
    }

    // MARK: - Tables for level M

    static let eccCodewordsPerBlock = [
        -1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        28, 28, 28, 28, 28, 28, 28,
    ]
    static let errorCorrectionBlocks = [
        -1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40,
        43, 45, 47, 49,
    ]
    /// Level M's two format bits.
    static let formatBitsOfLevel = 0

    static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewordCount(_ version: Int) -> Int {
        rawDataModules(version) / 8 - eccCodewordsPerBlock[version] * errorCorrectionBlocks[version]
    }

    static func capacityBits(_ version: Int) -> Int { dataCodewordCount(version) * 8 }
    static func countBits(_ version: Int) -> Int { version <= 9 ? 8 : 16 }

    // MARK: - Data and error correction

    static func dataCodewords(_ data: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)  // byte mode
        append(data.count, countBits(version))
        for byte in data { append(Int(byte), 8) }
        let capacity = capacityBits(version)
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var pad: UInt8 = 0xEC
        while bits.count < capacity {
            append(Int(pad), 8)
            pad ^= 0xEC ^ 0x11
        }
        return stride(from: 0, to: bits.count, by: 8).map { start in bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) } }
    }

    /// Splits the data into blocks, appends each block's Reed–Solomon codewords, interleaves.
    static func addErrorCorrection(_ data: [UInt8], version: Int) -> [UInt8] {
        let blockCount = errorCorrectionBlocks[version]
        let eccLength = eccCodewordsPerBlock[version]
        let raw = rawDataModules(version) / 8
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let divisor = reedSolomonDivisor(degree: eccLength)
        var blocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let length = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            var block = Array(data[offset..<offset + length])
            offset += length
            let ecc = reedSolomonRemainder(block, divisor: divisor)
            if index < shortBlocks { block.append(0) }
            blocks.append(block + ecc)
        }
        var result: [UInt8] = []
        for i in 0..<blocks[0].count {
            for (j, block) in blocks.enumerated() where i != shortLength - eccLength || j >= shortBlocks {
                result.append(block[i])
            }
        }
        return result
    }

    static func reedSolomonDivisor(degree: Int) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: degree - 1) + [1]
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<result.count {
                result[j] = multiply(result[j], root)
                if j + 1 < result.count { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func reedSolomonRemainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for (i, coefficient) in divisor.enumerated() { result[i] ^= multiply(coefficient, factor) }
        }
        return result
    }

    /// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1.
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    // MARK: - Drawing

    private mutating func setFunction(_ x: Int, _ y: Int, _ dark: Bool) {
        modules[y][x] = dark
        isFunction[y][x] = true
    }

    private mutating func drawFunctionPatterns() {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
            for dy in -4...4 {
                for dx in -4...4 {
                    let (xx, yy) = (x + dx, y + dy)
                    guard (0..<size).contains(xx), (0..<size).contains(yy) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    setFunction(xx, yy, distance != 2 && distance != 4)
                }
            }
        }
        let positions = alignmentPositions()
        let last = positions.count - 1
        for (i, x) in positions.enumerated() {
            for (j, y) in positions.enumerated() where !((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0)) {
                for dy in -2...2 {
                    for dx in -2...2 { setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                }
            }
        }
        drawFormatBits(mask: 0)  // reserves the areas; drawn again once the mask is chosen
        drawVersion()
    }

    private func alignmentPositions() -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        return ([6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed())
    }

    private mutating func drawFormatBits(mask: Int) {
        let data = Self.formatBitsOfLevel << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    private mutating func drawVersion() {
        guard version >= 7 else { return }
        var remainder = version
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version << 12 | remainder
        for i in 0..<18 {
            let dark = (bits >> i) & 1 == 1
            let a = size - 11 + i % 3
            let b = i / 3
            setFunction(a, b, dark)
            setFunction(b, a, dark)
        }
    }

    /// Places the codewords in the zigzag of two-module columns, bottom right first.
    private mutating func drawCodewords(_ data: [UInt8]) {
        var i = 0
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let upward = (right + 1) & 2 == 0
                    let y = upward ? size - 1 - vertical : vertical
                    if !isFunction[y][x] && i < data.count * 8 {
                        modules[y][x] = (data[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
            }
            right -= 2
        }
    }

    private mutating func applyMask(_ mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y][x] {
                let invert: Bool
                switch mask {
                case 0: invert = (x + y) % 2 == 0
                case 1: invert = y % 2 == 0
                case 2: invert = x % 3 == 0
                case 3: invert = (x + y) % 3 == 0
                case 4: invert = (x / 3 + y / 2) % 2 == 0
                case 5: invert = x * y % 2 + x * y % 3 == 0
                case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert { modules[y][x].toggle() }
            }
        }
    }

    /// The standard's penalty: runs of one colour, 2×2 blocks, finder-like patterns, imbalance.
    private func penalty() -> Int {
        var result = 0
        let lines = modules + (0..<size).map { x in modules.map { $0[x] } }
        for line in lines {
            var run = 1
            for i in 1..<line.count {
                if line[i] == line[i - 1] {
                    run += 1
                    if run == 5 { result += 3 } else if run > 5 { result += 1 }
                } else {
                    run = 1
                }
            }
            // 1:1:3:1:1 with four light modules on one side (the light margin outside counts).
            let padded = Array(repeating: false, count: 4) + line + Array(repeating: false, count: 4)
            let core: [Bool] = [true, false, true, true, true, false, true]
            for start in 0...(padded.count - 7) where Array(padded[start..<start + 7]) == core {
                let before = start >= 4 && padded[(start - 4)..<start].allSatisfy { !$0 }
                let after = start + 11 <= padded.count && padded[(start + 7)..<(start + 11)].allSatisfy { !$0 }
                if before || after { result += 40 }
            }
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = modules[y][x]
                if colour == modules[y][x + 1] && colour == modules[y + 1][x] && colour == modules[y + 1][x + 1] { result += 3 }
            }
        }
        let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
        let total = size * size
        let k = (abs(dark * 20 - total * 10) + total - 1) / total - 1
        result += max(0, k) * 10
        return result
    }

    // MARK: - SVG

    /// The code as an SVG image with a four-module quiet zone; one path, each run of dark
    /// modules in a row one rectangle. `label` is read out by screen readers.
    public func svg(label: String) -> String {
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard modules[y][x] else {
                    x += 1
                    continue
                }
                var end = x
                while end < size && modules[y][end] { end += 1 }
                path += "M\(x + 4) \(y + 4)h\(end - x)v1h-\(end - x)z"
                x = end
            }
        }
        let side = size + 8
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" width="\(side * 5)" height="\(side * 5)" role="img" \
            aria-label="\(Self.escape(label))" shape-rendering="crispEdges"><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    /// Text for an attribute value.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
