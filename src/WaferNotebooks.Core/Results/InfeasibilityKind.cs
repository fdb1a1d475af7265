namespace WaferNotebooks.Core.Results;

/// <summary>
/// The kind of an infeasible estimate's <see cref="Estimate.Reason"/>, told without writing it:
/// reasons of equal kinds differ at most in their numbers. Each estimator derives its own records,
/// which compare by value (and never equal another record type), so a plan can group thousands of
/// layouts that do not fit by kind and write the reasons of a few.
/// </summary>
internal abstract record InfeasibilityKind;
