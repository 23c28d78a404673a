import RISCV

/// How objdump reads the bytes of one executable section: as instructions of some ISA, or as
/// data, the way the section's RISC-V mapping symbols mark them. Without mapping symbols the
/// whole section is instructions of the ELF's ISA (or of every extension, without one).
public struct SectionLayout: Sendable {
    public enum Content: Sendable, Equatable {
        case instructions(ISA)
        case data
    }

    public let section: SymbolTable.CodeSection
    /// The section's mapping symbols in objdump's order.
    let marks: [MappingSymbol]
    /// The ISA in force from each mark on: that of the latest `$x<isa>` up to it (a bare `$x`
    /// keeps the one before), or the ELF's before any.
    let isas: [ISA]
    /// The ISA before any `$x<isa>` symbol: the ELF's.
    let defaultISA: ISA

    public init(section: SymbolTable.CodeSection, mappingSymbols: [MappingSymbol], defaultISA: ISA) {
        self.section = section
        marks = mappingSymbols.filter { $0.section == section.name }
        self.defaultISA = defaultISA
        var isa = defaultISA
        isas = marks.map { m in
            if case .instructions(let arch?) = m.kind { isa = ELFFile.isa(architecture: arch) ?? defaultISA }
            return isa
        }
    }

    /// The index of the mapping symbol in force at `address` (the last at or before it).
    func mark(at address: UInt32) -> Int? {
        var lo = 0, hi = marks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if marks[mid].address <= address { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// What objdump makes of the bytes at `address`.
    public func content(at address: UInt32) -> Content {
        guard let i = mark(at: address) else { return .instructions(defaultISA) }
        return marks[i].kind == .data ? .data : .instructions(isas[i])
    }

    /// The address of the first mapping symbol after `address`, if any: a data directive
    /// never runs past one.
    public func nextMark(after address: UInt32) -> UInt32? {
        let next = mark(at: address).map { $0 + 1 } ?? 0
        return next < marks.count ? marks[next].address : nil
    }
}

extension ELFFile {
    /// How objdump reads `section`.
    public func layout(of section: SymbolTable.CodeSection) -> SectionLayout {
        SectionLayout(section: section, mappingSymbols: symbols.mappingSymbols, defaultISA: declaredISA ?? .everything)
    }

    /// What objdump makes of the bytes at `address`: what its code section's mapping symbols
    /// say, or instructions of the ELF's ISA outside every code section.
    public func content(at address: UInt32) -> SectionLayout.Content {
        guard let section = symbols.codeSections.first(where: { address &- $0.address < $0.size }) else {
            return .instructions(declaredISA ?? .everything)
        }
        return layout(of: section).content(at: address)
    }

    /// A disassembler for the instructions at `address`, with the ISA its region declares
    /// (nil for data).
    public func disassembler(aliases: Bool = true, at address: UInt32) -> RISCV.Disassembler? {
        guard case .instructions(let isa) = content(at: address) else { return nil }
        var d = disassembler(aliases: aliases)
        d.isa = isa
        return d
    }
}
