"""Turns a ``Session.run`` fetch structure (nested lists, tuples, dicts, namedtuples) into graph elements and back."""

from minitf.framework import ops


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
        element = self._element(fetch)
        index = self._index.get(element)
        if index is None:
            index = self._index[element] = len(self.elements)
            self.elements.append(element)
        return index

    def build_results(self, values_by_element):
        elements = self.elements

        def build(node):
            if isinstance(node, int):
                element = elements[node]
                return values_by_element.get(element) if isinstance(element, ops.Tensor) else None
            if node[0] == "namedtuple":
                return node[1](*[build(n) for n in node[2]])
            if node[0] == "dict":
                result = node[1]() if node[1] is not dict else {}
                for k, n in node[2]:
                    result[k] = build(n)
                return result
            container, children = node
            values = [build(n) for n in children]
            return values if container is list else container(values) if container is tuple else container(values)

        return build(self._structure)


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(value, "_fields")
