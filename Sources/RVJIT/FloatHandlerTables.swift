import RISCV

/// One closure per (operation, width), the operation a constant in its body. The switch is
/// exhaustive over `FloatOp` × `FloatWidth`, so a new operation is a compile error here; the
/// tables index it by raw value.
extension Handlers {
    static let singleHandlers: [Handler] = FloatOp.allCases.map { makeFloat($0, .single) }
    static let doubleHandlers: [Handler] = FloatOp.allCases.map { makeFloat($0, .double) }

    static func makeFloat(_ op: FloatOp, _ w: FloatWidth) -> Handler {
        switch (op, w) {
        case (.add, .single): return { Handlers.float(.add, .single, $0, $1) }
        case (.add, .double): return { Handlers.float(.add, .double, $0, $1) }
        case (.sub, .single): return { Handlers.float(.sub, .single, $0, $1) }
        case (.sub, .double): return { Handlers.float(.sub, .double, $0, $1) }
        case (.mul, .single): return { Handlers.float(.mul, .single, $0, $1) }
        case (.mul, .double): return { Handlers.float(.mul, .double, $0, $1) }
        case (.div, .single): return { Handlers.float(.div, .single, $0, $1) }
        case (.div, .double): return { Handlers.float(.div, .double, $0, $1) }
        case (.sqrt, .single): return { Handlers.float(.sqrt, .single, $0, $1) }
        case (.sqrt, .double): return { Handlers.float(.sqrt, .double, $0, $1) }
        case (.sgnj, .single): return { Handlers.float(.sgnj, .single, $0, $1) }
        case (.sgnj, .double): return { Handlers.float(.sgnj, .double, $0, $1) }
        case (.sgnjn, .single): return { Handlers.float(.sgnjn, .single, $0, $1) }
        case (.sgnjn, .double): return { Handlers.float(.sgnjn, .double, $0, $1) }
        case (.sgnjx, .single): return { Handlers.float(.sgnjx, .single, $0, $1) }
        case (.sgnjx, .double): return { Handlers.float(.sgnjx, .double, $0, $1) }
        case (.min, .single): return { Handlers.float(.min, .single, $0, $1) }
        case (.min, .double): return { Handlers.float(.min, .double, $0, $1) }
        case (.max, .single): return { Handlers.float(.max, .single, $0, $1) }
        case (.max, .double): return { Handlers.float(.max, .double, $0, $1) }
        case (.eq, .single): return { Handlers.float(.eq, .single, $0, $1) }
        case (.eq, .double): return { Handlers.float(.eq, .double, $0, $1) }
        case (.lt, .single): return { Handlers.float(.lt, .single, $0, $1) }
        case (.lt, .double): return { Handlers.float(.lt, .double, $0, $1) }
        case (.le, .single): return { Handlers.float(.le, .single, $0, $1) }
        case (.le, .double): return { Handlers.float(.le, .double, $0, $1) }
        case (.classify, .single): return { Handlers.float(.classify, .single, $0, $1) }
        case (.classify, .double): return { Handlers.float(.classify, .double, $0, $1) }
        case (.madd, .single): return { Handlers.float(.madd, .single, $0, $1) }
        case (.madd, .double): return { Handlers.float(.madd, .double, $0, $1) }
        case (.msub, .single): return { Handlers.float(.msub, .single, $0, $1) }
        case (.msub, .double): return { Handlers.float(.msub, .double, $0, $1) }
        case (.nmsub, .single): return { Handlers.float(.nmsub, .single, $0, $1) }
        case (.nmsub, .double): return { Handlers.float(.nmsub, .double, $0, $1) }
        case (.nmadd, .single): return { Handlers.float(.nmadd, .single, $0, $1) }
        case (.nmadd, .double): return { Handlers.float(.nmadd, .double, $0, $1) }
        case (.toInt, .single): return { Handlers.float(.toInt, .single, $0, $1) }
        case (.toInt, .double): return { Handlers.float(.toInt, .double, $0, $1) }
        case (.toUnsigned, .single): return { Handlers.float(.toUnsigned, .single, $0, $1) }
        case (.toUnsigned, .double): return { Handlers.float(.toUnsigned, .double, $0, $1) }
        case (.fromInt, .single): return { Handlers.float(.fromInt, .single, $0, $1) }
        case (.fromInt, .double): return { Handlers.float(.fromInt, .double, $0, $1) }
        case (.fromUnsigned, .single): return { Handlers.float(.fromUnsigned, .single, $0, $1) }
        case (.fromUnsigned, .double): return { Handlers.float(.fromUnsigned, .double, $0, $1) }
        case (.convert, .single): return { Handlers.float(.convert, .single, $0, $1) }
        case (.convert, .double): return { Handlers.float(.convert, .double, $0, $1) }
        case (.moveToInt, .single): return { Handlers.float(.moveToInt, .single, $0, $1) }
        case (.moveToInt, .double): return { Handlers.float(.moveToInt, .double, $0, $1) }
        case (.moveFromInt, .single): return { Handlers.float(.moveFromInt, .single, $0, $1) }
        case (.moveFromInt, .double): return { Handlers.float(.moveFromInt, .double, $0, $1) }
        }
    }
}
