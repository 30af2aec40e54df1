"""The stack of default sessions (TensorFlow's ``framework/stack.py``): ``Session.as_default()`` pushes a session,
``Tensor.eval()`` and ``Operation.run()`` use the top one. It lives in framework/ so that the graph layer can run
a tensor without importing client/ (which pushes and pops)."""


class DefaultStack:
    """A stack of objects; the last pushed is the default. Not thread-local (minitf runs graphs, not threads of
    default sessions)."""

    def __init__(self):
        self.stack = []

    def get_default(self):
        return self.stack[-1] if self.stack else None

    def push(self, value):
        self.stack.append(value)

    def remove(self, value):
        """Removes ``value`` wherever it is (a session closed out of order leaves the others in place)."""
        if value in self.stack:
            self.stack.remove(value)

    def reset(self):
        self.stack.clear()
