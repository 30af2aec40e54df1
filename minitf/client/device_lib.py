"""``tensorflow.python.client.device_lib``: the devices of this process as ``DeviceAttributes`` protocol buffers.

minitf runs every op on one CPU device, which TensorFlow 2.21's CPU build lists with these attributes: the name
``/device:CPU:0``, a 256 MiB ``memory_limit`` (its default CPU allocator's), an empty ``locality``, a random
``incarnation`` (new for each call) and ``xla_global_id`` -1. Programs use it to count their GPUs."""

import random

from minitf.proto import device_attributes_pb2

_CPU_MEMORY_LIMIT = 268435456


def list_local_devices(session_config=None):
    """The available devices of the local process: a list of ``DeviceAttributes`` (here the one CPU).
    ``session_config`` (a ``ConfigProto`` or None) is accepted as TensorFlow accepts it; it adds no device."""
    device = device_attributes_pb2.DeviceAttributes(
        name="/device:CPU:0", device_type="CPU", memory_limit=_CPU_MEMORY_LIMIT,
        incarnation=random.getrandbits(64), xla_global_id=-1)
    device.locality.SetInParent()
    return [device]
