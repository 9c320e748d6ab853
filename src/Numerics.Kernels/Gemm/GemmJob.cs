// Licensed under the MIT License. See LICENSE in the repository root.

namespace Numerics.Kernels;

/// <summary>
/// One validated call C ← alpha·op(A)·op(B) + beta·C, with the operands pinned by the caller for the duration of the call.
/// </summary>
/// <remarks>Unmanaged so it can be handed to worker threads; the caller waits for all of them before unpinning.</remarks>
internal unsafe struct GemmJob
{
    /// <summary>First element of A as stored (m × k, or k × m when <see cref="TransA"/>); its element type is the driver's input type.</summary>
    public void* A;

    /// <summary>First element of B as stored (k × n, or n × k when <see cref="TransB"/>).</summary>
    public void* B;

    /// <summary>First element of C (m × n, row-major).</summary>
    public float* C;

    /// <summary>The shared packed-B block (filled cooperatively by all threads).</summary>
    public float* PackedB;

    /// <summary>Rows of op(A) and C.</summary>
    public int M;

    /// <summary>Columns of op(B) and C.</summary>
    public int N;

    /// <summary>Columns of op(A), rows of op(B).</summary>
    public int K;

    /// <summary>Row stride of A as stored.</summary>
    public int Lda;

    /// <summary>Row stride of B as stored.</summary>
    public int Ldb;

    /// <summary>Row stride of C.</summary>
    public int Ldc;

    /// <summary>op(A) = Aᵀ.</summary>
    public bool TransA;

    /// <summary>op(B) = Bᵀ.</summary>
    public bool TransB;

    /// <summary>Scale of the product.</summary>
    public float Alpha;

    /// <summary>Scale of C (0: C is not read).</summary>
    public float Beta;

    /// <summary>Cache blocking.</summary>
    public GemmBlocking Blocking;

    /// <summary>Threads taking part (1 = the caller alone).</summary>
    public int Threads;

    /// <summary>Extra parameters of drivers other than the FP32 one (INT8, quantized weights): a struct on the caller's stack, alive until every thread is done.</summary>
    public void* Payload;

    /// <summary>op(A)[i, p] of an FP32 A.</summary>
    public readonly float ElementA(int i, int p) => TransA ? ((float*)A)[(nint)p * Lda + i] : ((float*)A)[(nint)i * Lda + p];
}
