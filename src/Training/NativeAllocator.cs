using System.Runtime.InteropServices;

namespace SweepRunner.Training;

/// <summary>
/// How glibc's malloc treats torch's temporaries. A batch allocates tensors of hundreds of kilobytes to a few
/// megabytes (activations, gradients, evaluation batches); by default glibc maps each such block from the kernel and
/// unmaps it when freed, or trims the freed heap top, so the next batch page-faults the same memory in again,
/// zero-filled: over a hundred thousand faults per epoch. Keeping them on the heap removes that.
/// Process-wide, like torch's thread count: only a host calls this (a silo's executor, the benchmark), never a library.
/// </summary>
public static class NativeAllocator
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>Blocks below 64 MB come from the heap, and up to 256 MB of free heap is kept rather than returned.</summary>
    /// <returns>False where the C library is not glibc (nothing changes there).</returns>
    public static bool KeepTemporariesOnHeap()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return mallopt(MmapThreshold, 64 << 20) == 1 && mallopt(TrimThreshold, 256 << 20) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // not glibc (e.g. musl): its allocator has no such settings
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);
}
