extension ConsoleTemplates {
    static let figures = #"""
{{<layout}}
{{$title}}{{t.figuresTitle}}{{/title}}
{{$content}}
<h1>{{t.figuresTitle}} <span class="date">{{page.from}} – {{page.to}}</span></h1>
<form class="filters" method="get" action="/ui/figures">
<label for="from">{{t.fromDate}}</label><input id="from" name="from" type="date" value="{{page.from}}" required>
<label for="to">{{t.toDate}}</label><input id="to" name="to" type="date" value="{{page.to}}" required>
{{#page.adminFilters}}
<label for="operator">{{t.operatorLabel}}</label><select id="operator" name="operator"><option value="">{{t.allOperators}}</option>{{#operators}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/operators}}</select>
<label for="bureau">{{t.bureau}}</label><select id="bureau" name="bureau"><option value="">{{t.allBureaus}}</option>{{#bureaus}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/bureaus}}</select>
<label for="type">{{t.type}}</label><select id="type" name="type"><option value="">{{t.allTypes}}</option>{{#types}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/types}}</select>
{{/page.adminFilters}}
<button type="submit">{{t.show}}</button>
</form>
<dl class="counts figures">
<div><dt>{{t.reportsPerVoyageRegime}}</dt><dd id="figure-per-voyage">{{page.perVoyage}}</dd></div>
<div><dt>{{t.reportsDailyPerBureauRegime}}</dt><dd id="figure-daily-per-bureau">{{page.dailyPerBureau}}</dd></div>
<div><dt>{{t.reportsConsolidatedRegime}}</dt><dd id="figure-consolidated">{{page.consolidated}}</dd></div>
<div><dt>{{t.reduction}}</dt><dd id="figure-reduction">{{page.reduction}}</dd></div>
<div><dt>{{t.crossJurisdictionVoyages}}</dt><dd id="figure-cross">{{page.cross}}</dd></div>
<div><dt>{{t.fuelSavedTonnes}}</dt><dd id="figure-fuel">{{page.fuel}}</dd></div>
<div><dt>{{t.moneySaved}}</dt><dd id="figure-money">{{page.money}}</dd></div>
<div><dt>{{t.vesselHoursFreed}}</dt><dd id="figure-hours">{{page.hours}}</dd></div>
<div><dt>{{t.equivalentVessels}}</dt><dd>{{page.equivalentVessels}}</dd></div>
</dl>
{{#page.charts}}<figure class="chart">{{{svg}}}</figure>{{/page.charts}}
{{/content}}
{{/layout}}
"""#

    static let upload = #"""
{{<layout}}
{{$title}}{{t.uploadTitle}}{{/title}}
{{$content}}
<h1>{{t.uploadTitle}}</h1>
<p>{{t.uploadHelp}} <a id="template" href="/ui/upload/template.csv">{{t.downloadTemplate}}</a></p>
<form class="upload" method="post" action="/ui/upload" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{page.csrf}}">
<label for="file">{{t.file}}</label>
<input id="file" name="file" type="file" accept=".csv,.ndjson,.jsonl,text/csv,application/x-ndjson" required>
<button type="submit" id="upload">{{t.upload}}</button>
</form>
{{#page.result}}
<section class="result" id="upload-result">
<h2>{{t.uploadResult}}: {{fileName}}</h2>
<dl class="counts">
<div><dt>{{t.accepted}}</dt><dd id="count-accepted">{{accepted}}</dd></div>
<div><dt>{{t.duplicates}}</dt><dd id="count-duplicates">{{duplicates}}</dd></div>
<div><dt>{{t.corrected}}</dt><dd id="count-corrected">{{corrected}}</dd></div>
<div><dt>{{t.rejected}}</dt><dd id="count-rejected">{{rejected}}</dd></div>
</dl>
{{^committed}}<p class="problem">{{t.notCommitted}}</p>{{/committed}}
{{#hasRefused}}
<h3>{{t.refusedLines}}</h3>
<p class="note">{{t.refusedLinesNote}}</p>
<table class="refused" id="refused">
<thead><tr><th scope="col" class="n">{{t.line}}</th><th scope="col">{{t.field}}</th><th scope="col">{{t.reason}}</th></tr></thead>
<tbody>{{#refused}}<tr><td class="n">{{line}}</td><td>{{field}}</td><td>{{reason}}</td></tr>{{/refused}}</tbody>
</table>
{{/hasRefused}}
</section>
{{/page.result}}
{{#page.problem}}<p class="problem" id="problem" role="alert">{{.}}</p>{{/page.problem}}
<h2>{{t.submittedToday}} <span class="date">{{page.today}}</span></h2>
{{#page.noVoyages}}<p class="empty">{{t.noVoyagesToday}}</p>{{/page.noVoyages}}
{{^page.noVoyages}}
<table class="voyages" id="todays-voyages">
<thead><tr><th scope="col">{{t.movementId}}</th><th scope="col">{{t.vessel}}</th><th scope="col">{{t.departed}}</th><th scope="col">{{t.from}}</th><th scope="col">{{t.to}}</th><th scope="col">{{t.job}}</th><th scope="col">{{t.cancel}}</th></tr></thead>
<tbody>
{{#page.voyages}}
<tr id="voyage-{{movementId}}"><td>{{movementId}}</td><td>{{vessel}}</td><td>{{departed}}</td><td>{{fromArea}}</td><td>{{toArea}}</td><td>{{job}}</td>
<td>{{#cancelled}}<span class="badge withdrawn">{{t.cancelled}}</span>{{/cancelled}}{{^cancelled}}<form class="cancel" method="post" action="/ui/voyages/cancel">
<input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="operator" value="{{operatorID}}"><input type="hidden" name="movementId" value="{{movementId}}">
<label class="visually-hidden" for="reason-{{movementId}}">{{t.cancelReason}}</label><input id="reason-{{movementId}}" name="reason" required maxlength="500" placeholder="{{t.cancelReason}}">
<button type="submit">{{t.cancel}}</button></form>{{/cancelled}}</td></tr>
{{/page.voyages}}
</tbody>
</table>
{{/page.noVoyages}}
{{/content}}
{{/layout}}
"""#

    static let admin = #"""
{{<layout}}
{{$title}}{{t.adminTitle}}{{/title}}
{{$content}}
<h1>{{t.adminTitle}}</h1>
<h2>{{t.storeStatus}}</h2>
<dl class="counts">
<div><dt>{{t.voyagesToday}}</dt><dd id="status-voyages-today">{{page.status.voyagesToday}}</dd></div>
<div><dt>{{t.openDays}}</dt><dd>{{page.status.openDays}}</dd></div>
<div><dt>{{t.sealedThrough}}</dt><dd>{{page.status.sealedThrough}}</dd></div>
<div><dt>{{t.lastSealRun}}</dt><dd>{{page.status.lastSealRun}}</dd></div>
<div><dt>{{t.outage}}</dt><dd id="status-outage">{{page.status.outage}}</dd></div>
</dl>
<h2>{{t.register}}</h2>
<table class="register">
<thead><tr><th scope="col">{{t.vessel}}</th><th scope="col">{{t.mmsi}}</th><th scope="col">{{t.type}}</th><th scope="col">{{t.operatorLabel}}</th><th scope="col">{{t.homeBureau}}</th><th scope="col">{{t.admittedFrom}}</th><th scope="col">{{t.admittedUntil}}</th></tr></thead>
<tbody>{{#page.vessels}}<tr><td>{{name}}</td><td>{{mmsi}}</td><td>{{type}}</td><td>{{operatorID}}</td><td>{{homeBureau}}</td><td>{{admittedFrom}}</td><td>{{admittedUntil}}</td></tr>{{/page.vessels}}</tbody>
</table>
<h2>{{t.users}}</h2>
<table class="users">
<thead><tr><th scope="col">{{t.userName}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.scope}}</th><th scope="col">{{t.createdAt}}</th><th scope="col">{{t.lastSignIn}}</th><th scope="col" class="n">{{t.openSessions}}</th></tr></thead>
<tbody>{{#page.users}}<tr><td>{{name}}{{#disabled}} <span class="badge withdrawn">{{t.disabled}}</span>{{/disabled}}</td><td>{{role}}</td><td>{{scope}}</td><td>{{createdAt}}</td><td>{{lastSignIn}}</td><td class="n">{{sessions}}</td></tr>{{/page.users}}</tbody>
</table>
<h2>{{t.tokens}}</h2>
<table class="tokens">
<thead><tr><th scope="col">ID</th><th scope="col">{{t.tokenName}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.scope}}</th><th scope="col">{{t.createdAt}}</th><th scope="col">{{t.expires}}</th><th scope="col">{{t.lastUsed}}</th><th scope="col">{{t.revoked}}</th></tr></thead>
<tbody>{{#page.tokens}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{role}}</td><td>{{scope}}</td><td>{{createdAt}}</td><td>{{expiresAt}}</td><td>{{lastUsedAt}}</td><td>{{revokedAt}}</td></tr>{{/page.tokens}}</tbody>
</table>
{{/content}}
{{/layout}}
"""#
}
