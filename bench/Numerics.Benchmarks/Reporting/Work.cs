// Licensed under the MIT License. See LICENSE in the repository root.

using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Running;
using Numerics.Benchmarks.Reporting;

namespace Numerics.Benchmarks;

/// <summary>Evaluates the <see cref="WorkAttribute"/> contract for a benchmark case.</summary>
public static class Work
{
    /// <summary>Bytes or FLOPs one invocation of <paramref name="benchmarkCase"/> does, or null when undeclared or unresolvable.</summary>
    /// <param name="benchmarkCase">The case (method and parameter values).</param>
    /// <returns>The unit ("B" or "FLOP") and the amount.</returns>
    public static (string Unit, double PerOperation)? Of(BenchmarkCase benchmarkCase)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        MethodInfo method = benchmarkCase.Descriptor.WorkloadMethod;
        WorkAttribute? onMethod = method.GetCustomAttribute<WorkAttribute>(inherit: true);
        WorkAttribute? onClass = benchmarkCase.Descriptor.Type.GetCustomAttribute<WorkAttribute>(inherit: true);
        WorkAttribute? work = onMethod ?? onClass;
        if (work is null)
        {
            return null;
        }

        long count = work.Count;
        string? elements = work.Elements;
        if (onMethod is not null && count == 0 && elements is null && onClass is not null)
        {
            count = onClass.Count;
            elements = onClass.Elements;
        }

        double n;
        if (elements is null && count > 0)
        {
            n = count;
        }
        else
        {
            string name = elements ?? "Length";
            BenchmarkDotNet.Parameters.ParameterInstance? p = benchmarkCase.Parameters.Items.FirstOrDefault(i => i.Name == name);
            if (p?.Value is null || ElementsOf(p.Value) is not { } fromParameter)
            {
                return null;
            }

            n = fromParameter;
        }

        return (work.Unit == WorkUnit.Bytes ? WorkUnits.Bytes : WorkUnits.Flops, work.PerElement * n);
    }

    /// <summary>Element count of a parameter value: an integer, or the product of a <c>MxNxK</c> string.</summary>
    /// <param name="value">The parameter value.</param>
    /// <returns>The count or null.</returns>
    internal static double? ElementsOf(object value)
    {
        switch (value)
        {
            case int i:
                return i;
            case long l:
                return l;
            case string s:
                double product = 1;
                foreach (string part in s.Split('x', 'X', '×'))
                {
                    if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                    {
                        return null;
                    }

                    product *= d;
                }

                return product;
            default:
                return value is IConvertible c ? c.ToDouble(CultureInfo.InvariantCulture) : null;
        }
    }
}
