import Foundation
import Model
import Testing

@Suite("EntityID")
struct EntityIDTests {
    @Test func theTextFormIsTheCanonicalLowerCaseUUIDAndRoundTrips() throws {
        let id = EntityID(high: 0x0193_A5C4_2F00_7000, low: 0x8000_1A2B_3C4D_5E6F)
        #expect(id.description == "0193a5c4-2f00-7000-8000-1a2b3c4d5e6f")
        #expect(EntityID("0193A5C4-2F00-7000-8000-1A2B3C4D5E6F") == id)
        #expect(EntityID(id.description) == id)
        #expect(EntityID(bytes: id.bytes) == id)
        #expect(EntityID(high: 0, low: 0).description == "00000000-0000-0000-0000-000000000000")
        #expect(EntityID(high: .max, low: .max).description == "ffffffff-ffff-ffff-ffff-ffffffffffff")
    }

    @Test func idsFromOneNodeAreUniqueTimeOrderedAndVersion7() throws {
        var seen = Set<EntityID>()
        var previous: EntityID?
        for ms in UInt64(1_700_000_000_000)..<UInt64(1_700_000_000_004) {
            for counter in UInt16(0)..<300 {
                let id = EntityID(milliseconds: ms, counter: counter, node: 0x0123_4567_89AB_CDEF)
                #expect(seen.insert(id).inserted)
                if let previous { #expect(previous < id) }
                previous = id
                #expect(id.milliseconds == ms)
                #expect(Array(id.description)[14] == "7")
            }
        }
    }

    @Test(arguments: [
        "", "nope", "0193a5c4-2f00-7000-8000-1a2b3c4d5e6", "0193a5c4x2f00-7000-8000-1a2b3c4d5e6f",
        "0193a5c4-2f00-7000-8000-1a2b3c4d5e6g",
    ])
    func malformedTextIsRefused(_ text: String) {
        #expect(EntityID(text) == nil)
    }
}
