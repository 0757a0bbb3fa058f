namespace StateMachineMqtt.Verification.ModelChecking;

/// <summary>Tarjan's strongly connected components, iterative (the graphs are too deep for recursion), over a CSR edge list.</summary>
internal sealed class Tarjan(int nodes, int[] edgeStart, int[] edgeTarget)
{
    /// <summary>Each component as an array of node indices.</summary>
    public IEnumerable<int[]> Components()
    {
        var index = new int[nodes];
        var low = new int[nodes];
        var onStack = new bool[nodes];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        int counter = 0;
        for (int root = 0; root < nodes; root++)
        {
            if (index[root] >= 0)
            {
                continue;
            }

            work.Push((root, edgeStart[root]));
            index[root] = low[root] = counter++;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                var (n, k) = work.Pop();
                if (k < edgeStart[n + 1])
                {
                    work.Push((n, k + 1));
                    int t = edgeTarget[k];
                    if (index[t] < 0)
                    {
                        index[t] = low[t] = counter++;
                        stack.Push(t);
                        onStack[t] = true;
                        work.Push((t, edgeStart[t]));
                    }
                    else if (onStack[t])
                    {
                        low[n] = Math.Min(low[n], index[t]);
                    }

                    continue;
                }

                if (work.Count > 0)
                {
                    int parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[n]);
                }

                if (low[n] == index[n])
                {
                    var component = new List<int>();
                    int m;
                    do
                    {
                        m = stack.Pop();
                        onStack[m] = false;
                        component.Add(m);
                    }
                    while (m != n);
                    yield return [.. component];
                }
            }
        }
    }
}
