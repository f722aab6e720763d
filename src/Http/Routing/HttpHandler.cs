namespace MailerQ.Www.Http.Routing;

/// <summary>Handles one request: reads <see cref="HttpContext.Request"/>, fills <see cref="HttpContext.Response"/>.</summary>
internal delegate ValueTask HttpHandler(HttpContext context);
