// The frame of every page: head (only the daemon's own stylesheet and icon), the bar with the
// navigation the role may use, the language switch, the sign-out form; pages fill `title` and
// `content` (swift-mustache's template inheritance). `{{…}}` is HTML-escaped; the only `{{{…}}}`
// in the templates is a chart, whose SVG `SVGChart` escapes itself.
extension ConsoleTemplates {
    static let layout = #"""
<!DOCTYPE html>
<html lang="{{frame.langTag}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{$title}}{{/title}} · {{t.appName}}</title>
<link rel="stylesheet" href="/ui/assets/console.css">
<link rel="icon" href="/ui/assets/icon.svg" type="image/svg+xml">
</head>
<body>
<a class="skip" href="#main">{{t.skipToContent}}</a>
<header class="bar">
<a class="brand" href="/ui/reports"><img src="/ui/assets/icon.svg" alt="" width="22" height="22">{{t.appName}}</a>
{{#frame.user}}
<nav aria-label="{{t.appName}}">
<a href="/ui/reports"{{#frame.onReports}} aria-current="page"{{/frame.onReports}}>{{t.navReports}}</a>
<a href="/ui/figures"{{#frame.onFigures}} aria-current="page"{{/frame.onFigures}}>{{t.navFigures}}</a>
{{#frame.canUpload}}<a href="/ui/upload"{{#frame.onUpload}} aria-current="page"{{/frame.onUpload}}>{{t.navUpload}}</a>{{/frame.canUpload}}
{{#frame.isAdmin}}<a href="/ui/admin"{{#frame.onAdmin}} aria-current="page"{{/frame.onAdmin}}>{{t.navAdmin}}</a>{{/frame.isAdmin}}
</nav>
<div class="who"><span>{{t.signedInAs}} <strong id="user-name">{{name}}</strong> · {{scopeLabel}}</span>
<form method="post" action="/ui/logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit" class="link">{{t.signOut}}</button></form>
</div>
{{/frame.user}}
<a class="lang" id="language-switch" href="{{frame.switchHref}}" title="{{t.switchLanguage}}">{{t.otherLanguageName}}</a>
</header>
<main id="main">
{{#frame.notice}}<p class="notice" role="status">{{.}}</p>{{/frame.notice}}
{{$content}}{{/content}}
</main>
<footer><span>{{t.appName}}</span> · <span>{{frame.zone}}</span></footer>
</body>
</html>
"""#

    static let error = #"""
{{<layout}}
{{$title}}{{t.errorTitle}}{{/title}}
{{$content}}
<h1>{{page.status}} {{page.title}}</h1>
<p class="problem" id="problem">{{page.detail}}</p>
<p><a href="/ui/reports">{{t.backToReports}}</a></p>
{{/content}}
{{/layout}}
"""#

    static let signIn = #"""
{{<layout}}
{{$title}}{{t.signInTitle}}{{/title}}
{{$content}}
<section class="signin">
<h1>{{t.signInTitle}}</h1>
{{#page.failure}}<p class="problem" id="problem" role="alert">{{.}}</p>{{/page.failure}}
<form method="post" action="/ui/login">
<input type="hidden" name="csrf" value="{{page.csrf}}">
<input type="hidden" name="next" value="{{page.next}}">
<label for="username">{{t.userName}}</label>
<input id="username" name="username" autocomplete="username" required maxlength="64" value="{{page.username}}" autofocus>
<label for="password">{{t.password}}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">{{t.signIn}}</button>
</form>
</section>
{{/content}}
{{/layout}}
"""#
}

/// The console's Mustache templates, compiled into the binary (no file is read at run time).
enum ConsoleTemplates {
    static let all: [String: String] = [
        "layout": layout, "error": error, "signIn": signIn, "reports": reports, "reportRows": reportRows, "report": report, "figures": figures,
        "upload": upload, "admin": admin,
    ]
}
