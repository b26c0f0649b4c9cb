"""Build an ONNX BertModel graph (output: last_hidden_state) from all-MiniLM-L6-v2 model.safetensors,
for transformers.js (which mean-pools and normalises itself).

Needs only numpy + onnx: the safetensors header is parsed here, no torch or safetensors package.
Usage: python convert-minilm-onnx.py <model.safetensors> <out.onnx>
"""
import json
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto as T
from onnx import helper as h
from onnx import numpy_helper as nh

HIDDEN, HEADS, LAYERS, EPS = 384, 12, 6, 1e-12
HEAD_DIM = HIDDEN // HEADS


def load_safetensors(path):
    with open(path, 'rb') as f:
        header_len = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(header_len))
        raw = f.read()
    dtypes = {'F32': np.float32, 'I64': np.int64}
    weights = {}
    for name, info in header.items():
        if name == '__metadata__':
            continue
        start, end = info['data_offsets']
        weights[name] = np.frombuffer(raw[start:end], dtype=dtypes[info['dtype']]).reshape(info['shape'])
    return weights


class Graph:
    def __init__(self, weights):
        self.w, self.inits, self.nodes = weights, [], []

    def const(self, name, arr):
        self.inits.append(nh.from_array(np.ascontiguousarray(arr), name))
        return name

    def op(self, op_type, inputs, **attrs):
        out = f'{op_type}_{len(self.nodes)}'
        self.nodes.append(h.make_node(op_type, inputs, [out], **attrs))
        return out

    def linear(self, x, prefix):  # torch Linear: y = x W^T + b
        w = self.const(prefix + '.weight_T', self.w[prefix + '.weight'].T)
        return self.op('Add', [self.op('MatMul', [x, w]), self.const(prefix + '.bias', self.w[prefix + '.bias'])])

    def layer_norm(self, x, prefix):
        scale = self.const(prefix + '.weight', self.w[prefix + '.weight'])
        bias = self.const(prefix + '.bias', self.w[prefix + '.bias'])
        return self.op('LayerNormalization', [x, scale, bias], axis=-1, epsilon=EPS)


def build(weights):
    g = Graph(weights)
    i64 = lambda v: np.array(v, np.int64)
    f32 = lambda v: np.array(v, np.float32)
    # Embeddings: word + position + token type, then LayerNorm.
    seq_len = g.op('Gather', [g.op('Shape', ['input_ids']), g.const('one_i', i64(1))])
    positions = g.op('Range', [g.const('zero_s', i64(0)), seq_len, g.const('one_s', i64(1))])
    positions = g.op('Unsqueeze', [positions, g.const('axis0', i64([0]))])
    x = g.op('Add', [g.op('Gather', [g.const('word_emb', weights['embeddings.word_embeddings.weight']), 'input_ids']),
                     g.op('Gather', [g.const('pos_emb', weights['embeddings.position_embeddings.weight']), positions])])
    x = g.op('Add', [x, g.op('Gather', [g.const('type_emb', weights['embeddings.token_type_embeddings.weight']), 'token_type_ids'])])
    x = g.layer_norm(x, 'embeddings.LayerNorm')
    # Additive attention mask [B,1,1,S]: 0 where attended, -1e9 where padded.
    mask = g.op('Cast', [g.op('Unsqueeze', ['attention_mask', g.const('axes12', i64([1, 2]))])], to=T.FLOAT)
    mask_add = g.op('Mul', [g.op('Sub', [g.const('onef', f32(1.0)), mask]), g.const('neg', f32(-1e9))])
    split_shape = g.const('split_shape', i64([0, 0, HEADS, HEAD_DIM]))
    merge_shape = g.const('merge_shape', i64([0, 0, HIDDEN]))
    scale = g.const('scale', f32(1.0 / np.sqrt(HEAD_DIM)))
    for i in range(LAYERS):
        p = f'encoder.layer.{i}.'
        heads = lambda t: g.op('Transpose', [g.op('Reshape', [t, split_shape])], perm=[0, 2, 1, 3])
        q = heads(g.linear(x, p + 'attention.self.query'))
        k = heads(g.linear(x, p + 'attention.self.key'))
        v = heads(g.linear(x, p + 'attention.self.value'))
        scores = g.op('MatMul', [q, g.op('Transpose', [k], perm=[0, 1, 3, 2])])
        scores = g.op('Add', [g.op('Mul', [scores, scale]), mask_add])
        context = g.op('MatMul', [g.op('Softmax', [scores], axis=-1), v])
        context = g.op('Reshape', [g.op('Transpose', [context], perm=[0, 2, 1, 3]), merge_shape])
        x = g.layer_norm(g.op('Add', [g.linear(context, p + 'attention.output.dense'), x]), p + 'attention.output.LayerNorm')
        inter = g.linear(x, p + 'intermediate.dense')
        # Exact GELU, as BERT uses: 0.5 * x * (1 + erf(x / sqrt 2)).
        erf = g.op('Erf', [g.op('Div', [inter, g.const(f'sqrt2_{i}', f32(np.sqrt(2.0)))])])
        gelu = g.op('Mul', [g.op('Mul', [inter, g.const(f'half_{i}', f32(0.5))]), g.op('Add', [g.const(f'one_{i}', f32(1.0)), erf])])
        x = g.layer_norm(g.op('Add', [g.linear(gelu, p + 'output.dense'), x]), p + 'output.LayerNorm')
    g.nodes.append(h.make_node('Identity', [x], ['last_hidden_state']))
    inputs = [h.make_tensor_value_info(n, T.INT64, ['batch_size', 'sequence_length'])
              for n in ('input_ids', 'attention_mask', 'token_type_ids')]
    outputs = [h.make_tensor_value_info('last_hidden_state', T.FLOAT, ['batch_size', 'sequence_length', HIDDEN])]
    model = h.make_model(h.make_graph(g.nodes, 'minilm', inputs, outputs, g.inits),
                         opset_imports=[h.make_opsetid('', 17)], producer_name='avatar-adam')
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: convert-minilm-onnx.py <model.safetensors> <out.onnx>')
    onnx.save(build(load_safetensors(sys.argv[1])), sys.argv[2])


if __name__ == '__main__':
    main()
