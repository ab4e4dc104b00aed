/**
 * The schema engine's public surface: field constructors (re-exported so user schemas are built
 * from the same restructure copy as ours), `defineStruct`, inferred types and errors.
 */
export { u8, u16, u32, u64 } from './integers';
export { be16, be32 } from './network';
export { ipv4, ipv6 } from './ip';
export { mac } from './mac';
export { pad, type PadOptions } from './pad';
export { flags, type FlagsValue, type FlagsInput, type FlagsOptions } from './flags';
export { array } from './array';
export { addrUnion, type AddrDiscriminant } from './addr-union';
export {
  defineStruct,
  type Schema,
  type AnySchema,
  type Decoded,
  type Encodable,
  type DecodeOptions,
  type PaddingNotice,
  type FieldLayout,
  type StructDefinition,
  type Fields,
  type FieldsDecoded,
  type FieldsEncodable,
  type DataKeys,
  type IsPadding,
} from './struct';
export type { FieldType, AnyField, DecodedOf, EncodableOf, Endian, ReadContext, WriteContext, FieldSite } from './field';
export { CodecError, DecodeError, EncodeError, SchemaError, type ErrorSite } from './errors';
export { deriveOverlay, type Overlay, type OverlayDerive } from './overlay';
export { deriveText, checkReading, type TextPart, type TextDerive, type ReadingCheck } from './text-form';
export { formatCidrAddress, formatIPv4, formatIPv6, formatMac, parseCidr, parseIPv4Into, parseIPv6Into, parseMacInto, ipFamilyOf, type ParsedCidr } from './ip-text';
