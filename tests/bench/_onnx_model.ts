// A one-node ONNX model, encoded by hand (protobuf wire format) so that the
// comparison needs no converter: input "x" [N, C] (or [N]), output "y".
// Field numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto,
// AttributeProto, ValueInfoProto, TypeProto, TensorShapeProto).

function varint(n: bigint): number[] {
  const bytes: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 127n) {
    bytes.push(Number(v & 127n) | 128);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return bytes;
}

function key(field: number, wire: number): number[] {
  return varint(BigInt(field * 8 + wire));
}

function message(field: number, body: number[]): number[] {
  return [...key(field, 2), ...varint(BigInt(body.length)), ...body];
}

function text(field: number, s: string): number[] {
  return message(field, [...new TextEncoder().encode(s)]);
}

function integer(field: number, n: number): number[] {
  return [...key(field, 0), ...varint(BigInt(n))];
}

/** ONNX element types used here. */
export const ONNX_TYPE = { float32: 1, int64: 7, float64: 11 } as const;

function valueInfo(name: string, elemType: number, dims: string[]): number[] {
  const shape = dims.flatMap((d) => message(1, text(2, d)));
  const tensor = [...integer(1, elemType), ...message(2, shape)];
  return [...text(1, name), ...message(2, message(1, tensor))];
}

/**
 * A model computing `op` (e.g. "Softmax") on "x" of `elemType`, with integer
 * attributes; `rank` 2 gives dims [N, C], 1 gives [N]; ArgMax outputs int64 [N].
 */
export function onnxModel(
  op: string,
  elemType: number,
  rank: 1 | 2,
  attributes: Record<string, number> = {},
): Uint8Array {
  const dims = rank === 2 ? ["N", "C"] : ["N"];
  const argmax = op === "ArgMax";
  const attrs = Object.entries(attributes).flatMap(([name, value]) =>
    message(5, [...text(1, name), ...integer(3, value), ...integer(20, 2)])
  );
  const node = message(1, [
    ...text(1, "x"),
    ...text(2, "y"),
    ...text(4, op),
    ...attrs,
  ]);
  const graph = [
    ...node,
    ...text(2, op),
    ...message(11, valueInfo("x", elemType, dims)),
    ...message(
      12,
      valueInfo(
        "y",
        argmax ? ONNX_TYPE.int64 : elemType,
        argmax ? ["N"] : dims,
      ),
    ),
  ];
  return new Uint8Array([
    ...integer(1, 8), // ir_version
    ...message(8, [...text(1, ""), ...integer(2, 13)]), // opset 13
    ...message(7, graph),
  ]);
}
