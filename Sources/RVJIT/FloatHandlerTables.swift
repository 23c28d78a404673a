import RISCV

/// One closure per (operation, width), the operation a constant in its body. The switch is
/// exhaustive over `FloatOp` × `FloatWidth`, so a new operation is a compile error here; the
/// tables index it by raw value.
extension Handlers {
    static let singleHandlers: [Handler] = FloatOp.allCases.map { makeFloat($0, .single) }
    static let doubleHandlers: [Handler] = FloatOp.allCases.map { makeFloat($0, .double) }
    static let halfHandlers: [Handler] = FloatOp.allCases.map { makeFloat($0, .half) }

    static func makeFloat(_ op: FloatOp, _ w: FloatWidth) -> Handler {
        switch (op, w) {
        case (.add, .single): return { Handlers.float(.add, .single, $0, $1) }
        case (.add, .double): return { Handlers.float(.add, .double, $0, $1) }
        case (.add, .half): return { Handlers.float(.add, .half, $0, $1) }
        case (.sub, .single): return { Handlers.float(.sub, .single, $0, $1) }
        case (.sub, .double): return { Handlers.float(.sub, .double, $0, $1) }
        case (.sub, .half): return { Handlers.float(.sub, .half, $0, $1) }
        case (.mul, .single): return { Handlers.float(.mul, .single, $0, $1) }
        case (.mul, .double): return { Handlers.float(.mul, .double, $0, $1) }
        case (.mul, .half): return { Handlers.float(.mul, .half, $0, $1) }
        case (.div, .single): return { Handlers.float(.div, .single, $0, $1) }
        case (.div, .double): return { Handlers.float(.div, .double, $0, $1) }
        case (.div, .half): return { Handlers.float(.div, .half, $0, $1) }
        case (.sqrt, .single): return { Handlers.float(.sqrt, .single, $0, $1) }
        case (.sqrt, .double): return { Handlers.float(.sqrt, .double, $0, $1) }
        case (.sqrt, .half): return { Handlers.float(.sqrt, .half, $0, $1) }
        case (.sgnj, .single): return { Handlers.float(.sgnj, .single, $0, $1) }
        case (.sgnj, .double): return { Handlers.float(.sgnj, .double, $0, $1) }
        case (.sgnj, .half): return { Handlers.float(.sgnj, .half, $0, $1) }
        case (.sgnjn, .single): return { Handlers.float(.sgnjn, .single, $0, $1) }
        case (.sgnjn, .double): return { Handlers.float(.sgnjn, .double, $0, $1) }
        case (.sgnjn, .half): return { Handlers.float(.sgnjn, .half, $0, $1) }
        case (.sgnjx, .single): return { Handlers.float(.sgnjx, .single, $0, $1) }
        case (.sgnjx, .double): return { Handlers.float(.sgnjx, .double, $0, $1) }
        case (.sgnjx, .half): return { Handlers.float(.sgnjx, .half, $0, $1) }
        case (.min, .single): return { Handlers.float(.min, .single, $0, $1) }
        case (.min, .double): return { Handlers.float(.min, .double, $0, $1) }
        case (.min, .half): return { Handlers.float(.min, .half, $0, $1) }
        case (.max, .single): return { Handlers.float(.max, .single, $0, $1) }
        case (.max, .double): return { Handlers.float(.max, .double, $0, $1) }
        case (.max, .half): return { Handlers.float(.max, .half, $0, $1) }
        case (.eq, .single): return { Handlers.float(.eq, .single, $0, $1) }
        case (.eq, .double): return { Handlers.float(.eq, .double, $0, $1) }
        case (.eq, .half): return { Handlers.float(.eq, .half, $0, $1) }
        case (.lt, .single): return { Handlers.float(.lt, .single, $0, $1) }
        case (.lt, .double): return { Handlers.float(.lt, .double, $0, $1) }
        case (.lt, .half): return { Handlers.float(.lt, .half, $0, $1) }
        case (.le, .single): return { Handlers.float(.le, .single, $0, $1) }
        case (.le, .double): return { Handlers.float(.le, .double, $0, $1) }
        case (.le, .half): return { Handlers.float(.le, .half, $0, $1) }
        case (.classify, .single): return { Handlers.float(.classify, .single, $0, $1) }
        case (.classify, .double): return { Handlers.float(.classify, .double, $0, $1) }
        case (.classify, .half): return { Handlers.float(.classify, .half, $0, $1) }
        case (.madd, .single): return { Handlers.float(.madd, .single, $0, $1) }
        case (.madd, .double): return { Handlers.float(.madd, .double, $0, $1) }
        case (.madd, .half): return { Handlers.float(.madd, .half, $0, $1) }
        case (.msub, .single): return { Handlers.float(.msub, .single, $0, $1) }
        case (.msub, .double): return { Handlers.float(.msub, .double, $0, $1) }
        case (.msub, .half): return { Handlers.float(.msub, .half, $0, $1) }
        case (.nmsub, .single): return { Handlers.float(.nmsub, .single, $0, $1) }
        case (.nmsub, .double): return { Handlers.float(.nmsub, .double, $0, $1) }
        case (.nmsub, .half): return { Handlers.float(.nmsub, .half, $0, $1) }
        case (.nmadd, .single): return { Handlers.float(.nmadd, .single, $0, $1) }
        case (.nmadd, .double): return { Handlers.float(.nmadd, .double, $0, $1) }
        case (.nmadd, .half): return { Handlers.float(.nmadd, .half, $0, $1) }
        case (.toInt, .single): return { Handlers.float(.toInt, .single, $0, $1) }
        case (.toInt, .double): return { Handlers.float(.toInt, .double, $0, $1) }
        case (.toInt, .half): return { Handlers.float(.toInt, .half, $0, $1) }
        case (.toUnsigned, .single): return { Handlers.float(.toUnsigned, .single, $0, $1) }
        case (.toUnsigned, .double): return { Handlers.float(.toUnsigned, .double, $0, $1) }
        case (.toUnsigned, .half): return { Handlers.float(.toUnsigned, .half, $0, $1) }
        case (.fromInt, .single): return { Handlers.float(.fromInt, .single, $0, $1) }
        case (.fromInt, .double): return { Handlers.float(.fromInt, .double, $0, $1) }
        case (.fromInt, .half): return { Handlers.float(.fromInt, .half, $0, $1) }
        case (.fromUnsigned, .single): return { Handlers.float(.fromUnsigned, .single, $0, $1) }
        case (.fromUnsigned, .double): return { Handlers.float(.fromUnsigned, .double, $0, $1) }
        case (.fromUnsigned, .half): return { Handlers.float(.fromUnsigned, .half, $0, $1) }
        case (.convertFromSingle, .single): return { Handlers.float(.convertFromSingle, .single, $0, $1) }
        case (.convertFromSingle, .double): return { Handlers.float(.convertFromSingle, .double, $0, $1) }
        case (.convertFromSingle, .half): return { Handlers.float(.convertFromSingle, .half, $0, $1) }
        case (.convertFromDouble, .single): return { Handlers.float(.convertFromDouble, .single, $0, $1) }
        case (.convertFromDouble, .double): return { Handlers.float(.convertFromDouble, .double, $0, $1) }
        case (.convertFromDouble, .half): return { Handlers.float(.convertFromDouble, .half, $0, $1) }
        case (.convertFromHalf, .single): return { Handlers.float(.convertFromHalf, .single, $0, $1) }
        case (.convertFromHalf, .double): return { Handlers.float(.convertFromHalf, .double, $0, $1) }
        case (.convertFromHalf, .half): return { Handlers.float(.convertFromHalf, .half, $0, $1) }
        case (.moveToInt, .single): return { Handlers.float(.moveToInt, .single, $0, $1) }
        case (.moveToInt, .double): return { Handlers.float(.moveToInt, .double, $0, $1) }
        case (.moveToInt, .half): return { Handlers.float(.moveToInt, .half, $0, $1) }
        case (.moveFromInt, .single): return { Handlers.float(.moveFromInt, .single, $0, $1) }
        case (.moveFromInt, .double): return { Handlers.float(.moveFromInt, .double, $0, $1) }
        case (.moveFromInt, .half): return { Handlers.float(.moveFromInt, .half, $0, $1) }
        }
    }
}
