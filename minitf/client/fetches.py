"""Turns a ``Session.run`` fetch structure (nested lists, tuples, dicts, namedtuples) into graph elements and back."""

from minitf.framework import ops
from minitf.framework.sparse_tensor import SparseTensor, SparseTensorValue


class FetchHandler:
    """Flattens ``fetches`` into unique graph ``elements`` and rebuilds the same structure from their values."""

    def __init__(self, graph, fetches):
        self._graph = graph
        self.elements = []
        self._index = {}
        self._structure = self._flatten(fetches)

    def _element(self, fetch):
        if fetch is None:
            raise TypeError('Argument `fetch` = None has invalid type "NoneType". Cannot be None')
        try:
            element = self._graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
        except TypeError:
            raise TypeError(f"Argument `fetch` = {fetch!r} has invalid type \"{type(fetch).__name__}\", must be a "
                            f"string or Tensor. (Can not convert a {type(fetch).__name__} into a Tensor or "
                            "Operation.)") from None
        except ValueError as e:
            raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({e})") from None
        except KeyError as e:
            raise ValueError(f"Argument `fetch` = {fetch} cannot be interpreted as a Tensor. ({e.args[0]})") \
                from None
        return element

    def _flatten(self, fetch):
        if isinstance(fetch, (list, tuple)) and not _is_namedtuple(fetch):
            return (type(fetch), [self._flatten(f) for f in fetch])
        if _is_namedtuple(fetch):
            return ("namedtuple", type(fetch), [self._flatten(f) for f in fetch])
        if isinstance(fetch, dict):
            return ("dict", type(fetch), [(k, self._flatten(v)) for k, v in fetch.items()])
        if isinstance(fetch, SparseTensor):  # fetched as a SparseTensorValue of its three parts
            return ("namedtuple", SparseTensorValue,
                    [self._flatten(t) for t in (fetch.indices, fetch.values, fetch.dense_shape)])
        element = self._element(fetch)
        index = self._index.get(element)
        if index is None:
            index = self._index[element] = len(self.elements)
            self.elements.append(element)
        return index

    def build_results(self, values_by_element):
        return _build(self._structure, self.elements, values_by_element)


def _build(node, elements, values_by_element):
    """The fetch structure ``node`` with each element's value. A module-level function, not a closure: a recursive
    closure is a reference cycle, which would keep every fetched array alive until the garbage collector runs."""
    if isinstance(node, int):
        element = elements[node]
        return values_by_element.get(element) if isinstance(element, ops.Tensor) else None
    if node[0] == "namedtuple":
        return node[1](*[_build(n, elements, values_by_element) for n in node[2]])
    if node[0] == "dict":
        result = node[1]() if node[1] is not dict else {}
        for k, n in node[2]:
            result[k] = _build(n, elements, values_by_element)
        return result
    container, children = node
    values = [_build(n, elements, values_by_element) for n in children]
    return values if container is list else container(values)


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(value, "_fields")
