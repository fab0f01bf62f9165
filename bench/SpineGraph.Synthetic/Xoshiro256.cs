using System.Numerics;

namespace SpineGraph.Synthetic;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Our own implementation so the
/// output never depends on how System.Random is implemented in a given runtime. Only integer
/// arithmetic: the same seed gives the same stream on every platform.
/// </summary>
public sealed class Xoshiro256
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A generator for one <paramref name="stream"/> (phase of the generation) of a seed.</summary>
    public Xoshiro256(ulong seed, ulong stream)
    {
        var sm = seed ^ (stream * 0xD1B54A32D192ED03UL);
        _s0 = SplitMix64(ref sm);
        _s1 = SplitMix64(ref sm);
        _s2 = SplitMix64(ref sm);
        _s3 = SplitMix64(ref sm);
    }

    /// <summary>One step of SplitMix64; also a good 64-bit mixing function.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A hash of (a, b): SplitMix64 of their mix. Used for per-node choices that need no state.</summary>
    public static ulong Hash(ulong a, ulong b)
    {
        var s = a ^ (b * 0x9E3779B97F4A7C15UL) ^ 0x5851F42D4C957F2DUL;
        SplitMix64(ref s);
        return SplitMix64(ref s);
    }

    public ulong NextUInt64()
    {
        var result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, n), without modulo bias (Lemire's method).</summary>
    public ulong NextBelow(ulong n)
    {
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(n));
        var hi = Math.BigMul(NextUInt64(), n, out var lo);
        if (lo < n)
        {
            var threshold = (0 - n) % n;
            while (lo < threshold) hi = Math.BigMul(NextUInt64(), n, out lo);
        }
        return hi;
    }

    /// <summary>Uniform in [0, n).</summary>
    public int NextInt(int n) => (int)NextBelow((ulong)n);

    /// <summary>An index into <paramref name="weights"/>, chosen with probability proportional to its weight.</summary>
    public int Pick(ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var w in weights) total += w;
        var u = NextInt(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if (u < weights[i]) return i;
            u -= weights[i];
        }
        return weights.Length - 1;
    }

    /// <summary>Fisher–Yates shuffle of 0..n-1.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (var i = 0; i < n; i++) p[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }
}
