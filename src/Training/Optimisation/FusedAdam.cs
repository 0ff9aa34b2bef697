using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Training.Optimisation;

/// <summary>
/// Adam (Kingma and Ba), with the update torch.optim.Adam makes without weight decay or AMSGrad, in one pass over
/// each parameter instead of the stock optimizer's eight or so tensor operations per parameter:
/// m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², p ← p − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε), all in float32.
/// The same pass zeroes the gradient, so no separate zero_grad walk is needed: autograd then accumulates the next
/// batch's gradient into the zeroed buffer in place instead of allocating a new one. The moments live in two
/// managed arrays, one slice per parameter, so <see cref="Save"/> and <see cref="Load"/> are plain copies.
/// </summary>
public sealed class FusedAdam
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;
    private const string Magic = "SweepRunner.FusedAdam";

    private readonly Parameter[] _parameters;
    private readonly long[] _offsets;
    private readonly float[] _firstMoment;
    private readonly float[] _secondMoment;
    private readonly double _learningRate;
    private long _step;

    public FusedAdam(IEnumerable<Parameter> parameters, double learningRate)
    {
        _parameters = parameters.ToArray();
        _offsets = new long[_parameters.Length + 1];
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.dtype != ScalarType.Float32 || p.device_type != TorchSharp.DeviceType.CPU || !p.is_contiguous())
                throw new ArgumentException($"{nameof(FusedAdam)} needs contiguous float32 CPU parameters; parameter {i} is {p.dtype} on {p.device_type}.");
            _offsets[i + 1] = _offsets[i] + p.numel();
        }
        _firstMoment = new float[_offsets[^1]];
        _secondMoment = new float[_offsets[^1]];
        _learningRate = learningRate;
    }

    /// <summary>Steps taken so far (t in the bias corrections).</summary>
    public long StepCount => _step;

    /// <summary>Updates every parameter that has a gradient from that gradient, then zeroes the gradient.</summary>
    public unsafe void Step()
    {
        _step++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, _step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, _step);
        var stepSize = (float)(_learningRate / biasCorrection1);
        var biasCorrection2Sqrt = (float)Math.Sqrt(biasCorrection2);

        for (int i = 0; i < _parameters.Length; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is null) continue;
            if (!grad.is_contiguous())
                throw new InvalidOperationException($"{nameof(FusedAdam)}: the gradient of parameter {i} is not contiguous.");
            int length = checked((int)(_offsets[i + 1] - _offsets[i]));
            var values = new Span<float>(NativeData(_parameters[i]), length);
            var gradient = new Span<float>(NativeData(grad), length);
            var m = _firstMoment.AsSpan((int)_offsets[i], length);
            var v = _secondMoment.AsSpan((int)_offsets[i], length);
            Update(values, gradient, m, v, stepSize, biasCorrection2Sqrt);
        }
    }

    private static void Update(Span<float> values, Span<float> gradient, Span<float> m, Span<float> v,
        float stepSize, float biasCorrection2Sqrt)
    {
        int n = values.Length, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var values8 = MemoryMarshal.Cast<float, Vector<float>>(values);
            var gradient8 = MemoryMarshal.Cast<float, Vector<float>>(gradient);
            var m8 = MemoryMarshal.Cast<float, Vector<float>>(m);
            var v8 = MemoryMarshal.Cast<float, Vector<float>>(v);
            var beta1 = new Vector<float>(Beta1);
            var oneMinusBeta1 = new Vector<float>(1 - Beta1);
            var beta2 = new Vector<float>(Beta2);
            var oneMinusBeta2 = new Vector<float>(1 - Beta2);
            var epsilon = new Vector<float>(Epsilon);
            var correction2 = new Vector<float>(biasCorrection2Sqrt);
            var step = new Vector<float>(stepSize);
            for (int k = 0; k < values8.Length; k++)
            {
                var g = gradient8[k];
                var mk = m8[k] * beta1 + g * oneMinusBeta1;
                var vk = v8[k] * beta2 + g * g * oneMinusBeta2;
                m8[k] = mk;
                v8[k] = vk;
                values8[k] -= step * mk / (Vector.SquareRoot(vk) / correction2 + epsilon);
                gradient8[k] = Vector<float>.Zero;
            }
            i = values8.Length * Vector<float>.Count;
        }
        for (; i < n; i++)
        {
            float g = gradient[i];
            m[i] = m[i] * Beta1 + g * (1 - Beta1);
            v[i] = v[i] * Beta2 + g * g * (1 - Beta2);
            values[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / biasCorrection2Sqrt + Epsilon);
            gradient[i] = 0;
        }
    }

    /// <summary>Writes the step count and both moments.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(_step);
        writer.Write(_firstMoment.LongLength);
        writer.Write(MemoryMarshal.AsBytes(_firstMoment.AsSpan()));
        writer.Write(MemoryMarshal.AsBytes(_secondMoment.AsSpan()));
    }

    /// <summary>Reads what <see cref="Save"/> wrote, for an optimizer over parameters of the same shapes.</summary>
    /// <exception cref="InvalidDataException">Not an optimizer state, or one for another number of parameters.</exception>
    public void Load(BinaryReader reader)
    {
        if (reader.ReadString() != Magic)
            throw new InvalidDataException("checkpoint: the optimizer state is not a fused Adam state.");
        long step = reader.ReadInt64();
        long count = reader.ReadInt64();
        if (count != _firstMoment.LongLength)
            throw new InvalidDataException($"checkpoint: optimizer state for {count} parameters, the model has {_firstMoment.LongLength}.");
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_firstMoment.AsSpan()));
        reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(_secondMoment.AsSpan()));
        _step = step;
    }

    /// <summary>The address of a CPU tensor's first element (TorchSharp has no managed view of a tensor's memory).</summary>
    private static unsafe void* NativeData(Tensor tensor) => (void*)THSTensor_data(tensor.Handle);

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr tensor);
}
