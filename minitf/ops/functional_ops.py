"""``tf.map_fn``, ``tf.scan``, ``tf.foldl`` and ``tf.foldr`` as TensorFlow 1.x builds them: the elements are
unstacked into TensorArrays, a ``tf.while_loop`` reads one per iteration and writes the results into TensorArrays,
which are stacked at the end. Same node names as TensorFlow's map_fn.py and functional_ops.py.
"""

from minitf.framework import nest, ops, tensor_shape
from minitf.ops import array_ops, constant_op, variable_scope as vs
from minitf.ops.tensor_array_ops import TensorArray
from minitf.ops.while_loop import while_loop


class _CachingDevice:
    """While the loop is built, variables made by ``fn`` are cached on their op's device, as in TensorFlow."""

    def __enter__(self):
        self.varscope = vs.get_variable_scope()
        self.was_none = self.varscope.caching_device is None
        if self.was_none:
            self.varscope.set_caching_device(lambda op: op.device)

    def __exit__(self, *exc):
        if self.was_none:
            self.varscope.set_caching_device(None)
        return False


def _check_callable(fn):
    if not callable(fn):
        raise TypeError(f"{fn.__name__} is not callable. Please provide a callable function.")


def _leading_dim(elems_flat):
    """The static length of the elements (checked equal) as a Dimension."""
    n_static = tensor_shape.Dimension(tensor_shape.dimension_value(elems_flat[0].shape.with_rank_at_least(1)[0]))
    for elem in elems_flat[1:]:
        other = tensor_shape.Dimension(tensor_shape.dimension_value(elem.shape.with_rank_at_least(1)[0]))
        if not n_static.is_compatible_with(other):
            raise ValueError(f"Dimensions {n_static} and {other} are not compatible")
    return n_static


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False, infer_shape=True,
           name=None, fn_output_signature=None):
    """``fn`` applied to each element of ``elems`` unstacked on axis 0; results stacked."""
    if fn_output_signature is None:
        fn_output_signature = dtype
    _check_callable(fn)
    if parallel_iterations is None:
        parallel_iterations = 10
    elems_flat = nest.flatten(elems)
    if not elems_flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors. Got {}".format(elems))
    if fn_output_signature is None:
        result_dtypes = None
        result_unflatten = lambda x: nest.pack_sequence_as(elems, x)  # noqa: E731
    else:
        result_dtypes = nest.flatten(fn_output_signature)
        result_unflatten = lambda x: nest.pack_sequence_as(fn_output_signature, x)  # noqa: E731
    with ops.name_scope(name, "map", elems_flat), _CachingDevice():
        elems_flat = [ops.convert_to_tensor(t, name="elem") for t in elems_flat]
        first = elems_flat[0]
        if first.shape.ndims is not None and first.shape.ndims < 1:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        n_static = _leading_dim(elems_flat)
        n = n_static.value or array_ops.shape(first)[0]
        elems_ta = [TensorArray(dtype=t.dtype, size=n, dynamic_size=False, infer_shape=True) for t in elems_flat]
        elems_ta = [ta.unstack(t) for ta, t in zip(elems_ta, elems_flat)]
        i = constant_op.constant(0)
        dtypes_out = result_dtypes or [t.dtype for t in elems_flat]
        result_ta = [TensorArray(dtype=d, size=n, dynamic_size=False, infer_shape=infer_shape,
                                 element_shape=None) for d in dtypes_out]

        def compute(i, tas):
            elems_value = nest.pack_sequence_as(elems, [ta.read(i) for ta in elems_ta])
            result_value = fn(elems_value)
            nest.assert_same_structure(fn_output_signature or elems, result_value)
            tas = [ta.write(i, value) for ta, value in zip(tas, nest.flatten(result_value))]
            return (i + 1, tas)

        _, r_a = while_loop(lambda i, _: i < n, compute, (i, result_ta), parallel_iterations=parallel_iterations,
                            back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        results = [r.stack() for r in r_a]
        for r in results:
            r.set_shape(tensor_shape.TensorShape([n_static.value]).concatenate(r.shape[1:]))
        return result_unflatten(results)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``fn(a, x)`` applied from the first element to the last, starting from ``initializer`` (else ``elems[0]``)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, reverse=False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, name=None):
    """``fn(a, x)`` applied from the last element to the first, starting from ``initializer`` (else
    ``elems[-1]``)."""
    return _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, reverse=True)


def _fold(fn, elems, initializer, parallel_iterations, back_prop, swap_memory, name, reverse):
    _check_callable(fn)

    def create_ta(elem):
        return TensorArray(dtype=elem.dtype, size=n, dynamic_size=False, infer_shape=True).unstack(elem)

    with ops.name_scope(name, "foldr" if reverse else "foldl", [elems]), _CachingDevice():
        elems_flat = [ops.convert_to_tensor(elem, name="elem") for elem in nest.flatten(elems)]
        n = tensor_shape.dimension_value(elems_flat[0].shape[0]) or array_ops.shape(elems_flat[0])[0]
        elems_ta = nest.map_structure(create_ta, elems)
        if reverse:
            if initializer is None:
                i = n - 1
                a = nest.map_structure(lambda elem: elem.read(i), elems_ta)
            else:
                i, a = n, initializer

            def compute(i, a):
                i -= 1
                elem = nest.map_structure(lambda elem: elem.read(i), elems_ta)
                return [i, fn(a, elem)]
            condition = lambda i, a: i > 0  # noqa: E731
        else:
            if initializer is None:
                a = nest.map_structure(lambda elem: elem.read(0), elems_ta)
                i = constant_op.constant(1)
            else:
                a = initializer
                i = constant_op.constant(0)

            def compute(i, a):
                elem_i = nest.map_structure(lambda elem: elem.read(i), elems_ta)
                a = fn(a, elem_i)
                return [i + 1, a]
            condition = lambda i, a: i < n  # noqa: E731
        _, r_a = while_loop(condition, compute, [i, a], parallel_iterations=parallel_iterations,
                            back_prop=back_prop, swap_memory=swap_memory, maximum_iterations=n)
        return r_a


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False, infer_shape=True,
         reverse=False, name=None):
    """The sequence of accumulators ``fn(a, x)`` over the elements (from the last one if ``reverse``)."""
    _check_callable(fn)
    input_is_sequence = nest.is_nested(elems)
    input_flatten = lambda x: nest.flatten(x) if input_is_sequence else [x]  # noqa: E731

    def input_pack(x):
        return nest.pack_sequence_as(elems, x) if input_is_sequence else x[0]
    if initializer is None:
        output_flatten, output_pack = input_flatten, input_pack
    else:
        output_is_sequence = nest.is_nested(initializer)
        output_flatten = lambda x: nest.flatten(x) if output_is_sequence else [x]  # noqa: E731

        def output_pack(x):
            return nest.pack_sequence_as(initializer, x) if output_is_sequence else x[0]
    elems_flat = input_flatten(elems)
    with ops.name_scope(name, "scan", elems_flat), _CachingDevice():
        elems_flat = [ops.convert_to_tensor(elem, name="elem") for elem in elems_flat]
        n = tensor_shape.dimension_value(elems_flat[0].shape[0])
        if n is None:
            n = array_ops.shape(elems_flat[0])[0]
        elems_ta = [TensorArray(dtype=elem.dtype, size=n, dynamic_size=False, element_shape=elem.shape[1:],
                                infer_shape=True) for elem in elems_flat]
        elems_ta = [elem_ta.unstack(elem) for elem_ta, elem in zip(elems_ta, elems_flat)]
        if initializer is None:
            a_flat = [elem.read(n - 1 if reverse else 0) for elem in elems_ta]
            i = 1
        else:
            a_flat = [ops.convert_to_tensor(init) for init in output_flatten(initializer)]
            i = 0
        accs_ta = [TensorArray(dtype=init.dtype, size=n, element_shape=init.shape if infer_shape else None,
                               dynamic_size=False, infer_shape=infer_shape) for init in a_flat]
        if initializer is None:
            accs_ta = [acc_ta.write(n - 1 if reverse else 0, a) for acc_ta, a in zip(accs_ta, a_flat)]

        def compute(i, a_flat, tas):
            packed_elems = input_pack([elem_ta.read(i) for elem_ta in elems_ta])
            a_out = fn(output_pack(a_flat), packed_elems)
            nest.assert_same_structure(elems if initializer is None else initializer, a_out)
            flat_a_out = output_flatten(a_out)
            tas = [ta.write(i, value) for ta, value in zip(tas, flat_a_out)]
            return (i - 1 if reverse else i + 1, flat_a_out, tas)

        if reverse:
            initial_i = n - 1 - i
            condition = lambda i, _1, _2: i >= 0  # noqa: E731
        else:
            initial_i = i
            condition = lambda i, _1, _2: i < n  # noqa: E731
        _, _, r_a = while_loop(condition, compute, (initial_i, a_flat, accs_ta),
                               parallel_iterations=parallel_iterations, back_prop=back_prop,
                               swap_memory=swap_memory, maximum_iterations=n)
        results_flat = [r.stack() for r in r_a]
        n_static = _leading_dim(elems_flat)
        for r in results_flat:
            r.set_shape(tensor_shape.TensorShape(n_static).concatenate(r.shape[1:]))
        return output_pack(results_flat)
