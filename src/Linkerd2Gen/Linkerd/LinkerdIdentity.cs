namespace Linkerd2Gen.Linkerd;

/// <summary>Linkerd's mTLS identity of a workload: &lt;sa&gt;.&lt;ns&gt;.serviceaccount.identity.&lt;cp-ns&gt;.&lt;trust-domain&gt;.</summary>
public static class LinkerdIdentity
{
    public static string Of(string serviceAccount, string @namespace, string controlPlaneNamespace, string trustDomain) =>
        $"{serviceAccount}.{@namespace}.serviceaccount.identity.{controlPlaneNamespace}.{trustDomain}";
}
