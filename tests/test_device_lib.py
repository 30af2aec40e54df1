"""``tensorflow.python.client.device_lib`` and the ``tensorflow.core.*`` protocol buffer modules under ``minitf run``,
which TensorFlow's PTB tutorial (tutorials/rnn/ptb of tensorflow/models) imports: ptb_word_lm.py counts its GPUs with
``device_lib.list_local_devices()``, util.py imports ``tensorflow.core.framework.variable_pb2`` and
``tensorflow.core.protobuf.rewriter_config_pb2``."""

import os
import subprocess
import sys
import textwrap

import minitf as tf

HERE = os.path.dirname(os.path.abspath(__file__))

# TensorFlow 2.21 (CPU build): ``[{f: getattr(d, f) ...} for d in device_lib.list_local_devices()]``, recorded by hand
# (the incarnation is random on each call).
TENSORFLOWS_DEVICES = [{"name": "/device:CPU:0", "device_type": "CPU", "memory_limit": 268435456, "locality": "",
                        "xla_global_id": -1,
                        "fields": ["name", "device_type", "memory_limit", "locality", "incarnation", "xla_global_id"]}]


def test_list_local_devices_like_tensorflow():
    from minitf.client import device_lib
    first, second = device_lib.list_local_devices(), device_lib.list_local_devices(tf.ConfigProto())
    got = [{"name": d.name, "device_type": d.device_type, "memory_limit": d.memory_limit,
            "locality": str(d.locality), "xla_global_id": d.xla_global_id,
            "fields": [f.name for f, _ in d.ListFields()]} for d in first]
    assert got == TENSORFLOWS_DEVICES
    assert first[0].incarnation != second[0].incarnation  # random, as TensorFlow's


def test_tensorflow_core_protos_under_minitf_run(tmp_path):
    """util.py of the tutorial imports ``tensorflow.core.framework.variable_pb2`` and
    ``tensorflow.core.protobuf.rewriter_config_pb2``; ptb_word_lm.py imports ``tensorflow.python.client.device_lib``."""
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        import minitf
        from tensorflow.core.framework import variable_pb2, graph_pb2
        from tensorflow.core.protobuf import rewriter_config_pb2, meta_graph_pb2
        from tensorflow.core.util import event_pb2
        from tensorflow.core.example import example_pb2
        from tensorflow.python.client import device_lib
        import tensorflow.core.framework.device_attributes_pb2 as device_attributes_pb2
        assert variable_pb2 is minitf.proto.variable_pb2 and graph_pb2 is minitf.proto.graph_pb2
        assert meta_graph_pb2 is minitf.proto.meta_graph_pb2 and event_pb2 is minitf.proto.event_pb2
        assert example_pb2 is minitf.proto.example_pb2 and device_lib is minitf.client.device_lib
        config = rewriter_config_pb2.RewriterConfig()
        config.optimizers.append("autoparallel")
        config.auto_parallel.enable = True
        config.auto_parallel.num_replicas = 2
        print(config.SerializeToString().hex())
        print([d.device_type for d in device_lib.list_local_devices()])
        print(type(device_lib.list_local_devices()[0]) is device_attributes_pb2.DeviceAttributes)
        try:
            import tensorflow.core.framework.no_such_pb2
        except ImportError as e:
            print(e)
    """))
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE))
    result = subprocess.run([sys.executable, "-m", "minitf", str(script)], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    # RewriterConfig(optimizers=["autoparallel"], auto_parallel={enable, num_replicas: 2}) as TensorFlow serializes it
    assert result.stdout.splitlines() == [
        "2a0408011002a2060c6175746f706172616c6c656c", "['CPU']", "True",
        "minitf does not implement tensorflow.core.framework.no_such_pb2 yet (see docs/api_coverage.md)"]
