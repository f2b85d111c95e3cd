using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Model.OnnxConverter;
using Cs231n.MLNet.Onnx;

namespace Cs231n.MLNet.MLNetInternals;

/// <summary>
/// The output of one of our transformers as ML.NET's ONNX exporter needs to see it: an <see cref="IDataTransform"/>
/// whose <see cref="Source"/> is the transformer's input, so <c>ConvertToOnnx</c> walks back through it to the
/// steps before, and an <see cref="ITransformCanSaveOnnx"/> that writes our nodes. Everything else is the wrapped view.
/// </summary>
/// <remarks>
/// Without this, the exporter's walk back from the pipeline's end stops at a plain <see cref="IDataView"/> and takes
/// our output columns for the graph's inputs: a file of Identity nodes that fails when scored. A model that cannot be
/// expressed throws <see cref="NotSupportedException"/> from <see cref="ICanSaveOnnx.CanSaveOnnx"/>, during the walk,
/// because returning false there would make the exporter silently cut the pipeline.
/// </remarks>
internal sealed class OnnxExportableView : ITransformCanSaveOnnx
{
    private readonly IDataView _view;
    private readonly IOnnxTransformWriter _writer;

    public OnnxExportableView(IDataView view, IDataView source, IOnnxTransformWriter writer)
    {
        _view = view;
        Source = source;
        _writer = writer;
    }

    public IDataView Source { get; }

    public bool CanShuffle => _view.CanShuffle;

    public DataViewSchema Schema => _view.Schema;

    public long? GetRowCount() => _view.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        => _view.GetRowCursor(columnsNeeded, rand);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => _view.GetRowCursorSet(columnsNeeded, n, rand);

    bool ICanSaveOnnx.CanSaveOnnx(OnnxContext ctx)
    {
        _writer.CheckExportable();
        ctx.CheckOpSetVersion(_writer.MinimumOpset, _writer.Name);
        // The exporter cuts the pipeline at the first step it cannot export and feeds the graph the columns of the
        // pipeline's input instead; a same-named input column would then be read in place of that step's output.
        for (var view = Source; view is IDataTransform step; view = step.Source)
        {
            if (step is not ITransformCanSaveOnnx exportable || !exportable.CanSaveOnnx(ctx))
                throw OnnxExportMessages.EarlierStepNotExportable(_writer.Name, Describe(step));
        }
        return true;
    }

    /// <summary>The step's type and the columns it adds, which is how a user recognises it in their pipeline.</summary>
    private static string Describe(IDataTransform step)
    {
        var added = step.Schema.Skip(step.Source.Schema.Count).Where(c => !c.IsHidden).Select(c => $"'{c.Name}'").ToArray();
        return added.Length == 0 ? step.GetType().Name : $"{step.GetType().Name} producing {string.Join(", ", added)}";
    }

    void ISaveAsOnnx.SaveAsOnnx(OnnxContext ctx) => _writer.Write(new OnnxContextGraph(ctx));

    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException(
            $"The output of {_writer.Name} is saved through its transformer: save the fitted model with mlContext.Model.Save(model, inputSchema, path).");
}
