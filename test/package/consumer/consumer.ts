// A consumer of the packed tarball, type-checked under node16 (ESM and CJS) and bundler resolution
// by test/package/consumer.test.ts. Every line states a type the package promises.
import { CodecError, decodeDump, decodeDumpText, resolveMap, type DecodedRecord, type MapRecord } from 'cilium-map-codec';

// A literal map name and version: the records are the schema's records.
const ipcache = resolveMap('cilium_ipcache', '1.16');
const key = ipcache.key.decode(new Uint8Array(24));
const cidr: string = key.cidr;
const prefixlen: number = key.prefixlen;
// @ts-expect-error not a field of ipcache_key
void key.definitely_not_a_field;
const identity: number = ipcache.value.decode(new Uint8Array(12)).sec_identity;

// An alias is as good as the name; a literal version narrows to its layout.
const nodeId: number = resolveMap('ipcache', '1.14.0').value.decode(new Uint8Array(12)).node_id;
// @ts-expect-error v1.16 has no node_id (RE-D)
void resolveMap('ipcache', '1.16').value.decode(new Uint8Array(12)).node_id;

// Dumps: records typed from the map named in the options.
const { records } = decodeDumpText('', { map: 'cilium_lxc', version: '1.16' });
const lxc: MapRecord<'cilium_lxc', '1.16'>[] = records;
const secId: number | undefined = records[0]?.value?.sec_id;
const mac: string | undefined = records[0]?.value?.mac;
// @ts-expect-error not a field of endpoint_info
void records[0]?.value?.definitely_not_a_field;

async function stream(input: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of decodeDump(input, { map: 'lb4-services', version: '1.16' })) {
    for (const r of batch) out.push(`${r.key.address}:${r.key.dport} slot ${r.key.backend_slot} → ${r.value?.backend_id}`);
  }
  return out;
}

// A pinned path is not a literal the catalogue knows: generic records, still usable.
const path: string = '/sys/fs/bpf/tc/globals/cilium_lxc';
const generic: DecodedRecord[] = decodeDumpText('', { map: path }).records;

// Errors from the library are CodecErrors.
try {
  resolveMap('cilium_nonsense' as string);
} catch (e) {
  if (e instanceof CodecError) console.error(e.message);
}

export { cidr, prefixlen, identity, nodeId, lxc, secId, mac, stream, generic };
