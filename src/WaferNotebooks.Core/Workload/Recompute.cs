namespace WaferNotebooks.Core.Workload;

/// <summary>Activation recomputation in the backward pass.</summary>
public enum Recompute { None, Selective, Full }
