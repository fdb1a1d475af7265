using WaferNotebooks.Core.Catalog;

namespace WaferNotebooks.Core.Wafer;

/// <summary>
/// The SwarmX broadcast/reduce tree between MemoryX and N systems. Weights are broadcast down
/// it and gradients summed on the way up (Cerebras glossary, SwarmX). Both are pipelined, so
/// throughput is one link's bandwidth whatever N; latency grows with the depth ⌈log_fanout N⌉.
/// </summary>
public sealed record SwarmXTree(int Systems, int Depth, double LevelLatencyS, double StreamGBps)
{
    public static SwarmXTree For(WaferCluster c, int systems)
    {
        double fanOut = Math.Max(2, c.SwarmXFanOut.Value);
        // One level links MemoryX to a single system; each further level multiplies the reach by the fan-out.
        int depth = Math.Max(1, (int)Math.Ceiling(Math.Log(systems) / Math.Log(fanOut) - 1e-9));
        // A stream runs at the slowest of the wafer's I/O, a tree link and MemoryX.
        double gbps = Math.Min(c.SystemIoGBps.Value, Math.Min(c.SwarmXLinkGBps.Value, c.MemoryXGBps.Value));
        return new SwarmXTree(systems, depth, c.SwarmXLevelLatencyUs.Value * 1e-6, gbps);
    }

    /// <summary>Time for the first byte to cross the whole tree.</summary>
    public double LatencyS => Depth * LevelLatencyS;

    /// <summary>Time to move this many bytes through the tree, pipelined.</summary>
    public double StreamS(double bytes) => bytes / (StreamGBps * 1e9);
}
