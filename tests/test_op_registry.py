"""The op registry: one registration per op type and per gradient, located, and an op's card."""

import os
import re
import subprocess
import sys

import pytest

import minitf as tf
from minitf.framework import op_registry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_second_gradient_registration_raises_naming_the_first():
    with pytest.raises(KeyError) as e:
        tf.RegisterGradient("MatMul")(lambda op, grad: (grad, grad))
    message = e.value.args[0]
    assert message.startswith("Registering two gradient with name 'MatMul'! (Previous registration was in "
                              "_matmul_grad ")
    path, line = re.search(r"in _matmul_grad (\S+):(\d+)\)", message).groups()
    assert path.endswith(os.path.join("minitf", "ops", "math_grad.py"))
    with open(path) as f:
        assert f.read().splitlines()[int(line) - 1] == '@RegisterGradient("MatMul")'


def test_a_new_gradient_registers_once():
    fn = tf.RegisterGradient("MinitfTestOnlyOp")(lambda op, grad: grad)
    try:
        assert op_registry.gradient_function("MinitfTestOnlyOp") is fn
        with pytest.raises(KeyError, match=r"Registering two gradient with name 'MinitfTestOnlyOp'! \(Previous "
                                           r"registration was in <lambda> .*test_op_registry\.py:\d+\)"):
            tf.RegisterGradient("MinitfTestOnlyOp")(lambda op, grad: grad)
    finally:
        del op_registry._gradients["MinitfTestOnlyOp"]


def test_second_op_registration_raises_naming_the_first():
    with pytest.raises(KeyError, match=r"Registering two op with name 'MatMul'! \(Previous registration was in "
                                       r".*linalg_ops\.py:\d+\)"):
        op_registry.register("MatMul", None, None)


@pytest.mark.parametrize("op_type", op_registry.registered_ops())
def test_every_op_has_a_complete_card(op_type):
    card = op_registry.card(op_type).splitlines()
    assert card[0] == op_type
    fields = dict(line.strip().split(":", 1) for line in card[1:])
    assert set(fields) == {"registered", "inputs", "attrs", "shape function", "kernel", "gradient", "properties",
                           "wrapper"}
    assert re.match(r" +minitf/\S+\.py:\d+$", fields["registered"])
    assert re.search(r"\.py:\d+ \(", fields["shape function"])
    assert fields["kernel"].strip()


def test_minitf_ops_prints_the_card_of_conv2d():
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, "-m", "minitf.cli", "ops", "Conv2D"], capture_output=True, text=True,
                            env=env, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == op_registry.card("Conv2D").splitlines()
    assert "  gradient:       minitf/ops/nn_grad.py:" in result.stdout
    assert ("  attrs:          T, strides, use_cudnn_on_gpu=True, padding, explicit_paddings=[], "
            "data_format=b'NHWC', dilations=[1, 1, 1, 1]") in result.stdout
    assert "  wrapper:        minitf/ops/conv_ops.py:" in result.stdout


def test_the_architecture_document_shows_matmuls_card_as_it_is():
    with open(os.path.join(ROOT, "docs", "architecture.md")) as f:
        text = f.read()
    shown = re.search(r"```\n(MatMul\n.*?)```", text, re.S).group(1).rstrip("\n")
    without_lines = re.compile(r"\.py:\d+")  # the card's line numbers move with every edit; its files and names not
    assert without_lines.sub(".py", shown) == without_lines.sub(".py", op_registry.card("MatMul")), \
        "update docs/architecture.md (its MatMul card)"


@pytest.mark.parametrize("path", ["minitf/client/session.py", "minitf/client/tracing.py", "minitf/framework/graph_io.py",
                                  "minitf/framework/tensor_util.py", "minitf/framework/meta_graph.py"])
def test_the_executor_and_exporter_read_properties_not_op_type_names(path):
    with open(os.path.join(ROOT, path)) as f:
        text = f.read()
    switches = re.findall(r"\.(?:_type|type|op) (?:==|!=|in|not in) [\"'(]", text)
    assert not switches, f"{path} switches on op type names; give the ops a property in op_registry.OpDef instead"
