extension ConsoleTemplates {
    static let reports = #"""
{{<layout}}
{{$title}}{{t.reportsTitle}} {{page.date}}{{/title}}
{{$content}}
<h1>{{t.reportsTitle}} <span class="date">{{page.date}}</span></h1>
<form class="filters" method="get" action="/ui/reports">
<label for="date">{{t.date}}</label><input id="date" name="date" type="date" value="{{page.date}}" required>
<label for="vessel">{{t.filterVessel}}</label><input id="vessel" name="vessel" inputmode="numeric" pattern="[0-9]{9}" value="{{page.vessel}}">
<button type="submit">{{t.show}}</button>
</form>
<p class="pager"><a id="previous-day" href="{{page.previousHref}}">← {{t.previousDay}}</a> <a id="next-day" href="{{page.nextHref}}">{{t.nextDay}} →</a>
<a class="download" href="{{page.csvHref}}">{{t.downloadCSV}}</a></p>
<dl class="counts">
<div><dt>{{t.countReports}}</dt><dd id="count-reports">{{page.count}}</dd></div>
<div><dt>{{t.countLate}}</dt><dd id="count-late">{{page.late}}</dd></div>
{{#page.showAcknowledgements}}<div><dt>{{t.countUnacknowledged}}</dt><dd id="count-unacknowledged">{{page.unacknowledged}}</dd></div>{{/page.showAcknowledgements}}
</dl>
{{#page.hasAISFlags}}
<section class="ais" id="ais-flags">
<h2>{{t.aisFlaggedReports}}</h2>
<p class="note">{{t.aisAdvice}}</p>
<ul>
{{#page.aisFlags}}<li><a href="{{href}}">{{name}}</a> {{mmsi}}: {{#kinds}}<span class="badge ais">{{label}} × {{count}}</span> {{/kinds}}</li>
{{/page.aisFlags}}
</ul>
</section>
{{/page.hasAISFlags}}
{{#page.empty}}<p class="empty">{{t.noReports}}</p>{{/page.empty}}
{{^page.empty}}
<table class="reports">
<thead><tr><th scope="col">{{t.vessel}}</th><th scope="col">{{t.mmsi}}</th><th scope="col">{{t.type}}</th><th scope="col">{{t.operatorLabel}}</th><th scope="col">{{t.homeBureau}}</th><th scope="col" class="n">{{t.voyages}}</th><th scope="col" class="n">{{t.crossJurisdiction}}</th><th scope="col">{{t.areas}}</th><th scope="col">{{t.revision}}</th>{{#page.showAcknowledgements}}<th scope="col">{{t.acknowledged}}</th>{{/page.showAcknowledgements}}</tr></thead>
<tbody>
{{{page.rowsHTML}}}
</tbody>
</table>
{{/page.empty}}
{{/content}}
{{/layout}}
"""#

    /// The rows of the day's list, rendered apart and cached (see `RenderedRows`): the list page
    /// inserts them with `{{{…}}}`, which is safe because they come out of this template, escaped.
    static let reportRows = #"""
{{#rows}}
<tr id="report-{{mmsi}}">
<td>{{#href}}<a href="{{href}}">{{vesselName}}</a>{{/href}}{{^href}}{{vesselName}}{{/href}}</td><td>{{mmsi}}</td><td>{{type}}</td><td>{{operatorName}}</td><td>{{homeBureau}}</td><td class="n">{{voyages}}</td><td class="n">{{crossJurisdiction}}</td><td>{{areas}}</td>
<td>{{revision}}{{#late}} <span class="badge late">{{t.badgeLate}}</span>{{/late}}{{#withdrawn}} <span class="badge withdrawn">{{t.badgeWithdrawn}}</span>{{/withdrawn}}{{#noLongerShared}} <span class="badge unshared">{{t.badgeNoLongerShared}}</span>{{/noLongerShared}}</td>
{{#showAcknowledgements}}<td>{{#acknowledged}}<span class="badge ok ack-state">{{t.badgeAcknowledged}}</span>{{/acknowledged}}{{^acknowledged}}{{^noLongerShared}}<span class="badge todo ack-state">{{t.badgeNotAcknowledged}}</span>{{/noLongerShared}}{{/acknowledged}}</td>{{/showAcknowledgements}}
</tr>
{{/rows}}
"""#

    static let report = #"""
{{<layout}}
{{$title}}{{page.vesselName}} {{page.date}}{{/title}}
{{$content}}
<h1>{{t.reportTitle}}: <span id="vessel-name">{{page.vesselName}}</span> <span class="date">{{page.date}}</span></h1>
<dl class="facts">
<div><dt>{{t.mmsi}}</dt><dd>{{page.mmsi}}</dd></div>
<div><dt>{{t.type}}</dt><dd>{{page.type}}</dd></div>
<div><dt>{{t.operatorLabel}}</dt><dd>{{page.operatorName}}</dd></div>
<div><dt>{{t.homeBureau}}</dt><dd>{{page.homeBureau}}</dd></div>
<div><dt>{{t.viewingRevision}}</dt><dd id="shown-revision">{{page.revision}}{{#page.isLatest}} ({{t.latest}}){{/page.isLatest}}{{#page.late}} <span class="badge late">{{t.badgeLate}}</span>{{/page.late}}{{#page.sealed}} <span class="badge">{{t.sealed}}</span>{{/page.sealed}}{{#page.noLongerShared}} <span class="badge unshared">{{t.badgeNoLongerShared}}</span>{{/page.noLongerShared}}</dd></div>
</dl>
<h2>{{t.voyages}}</h2>
{{#page.withdrawn}}<p class="empty">{{t.noVoyages}}</p>{{/page.withdrawn}}
{{^page.withdrawn}}
<table class="voyages">
<thead><tr><th scope="col">{{t.movementId}}</th><th scope="col">{{t.departed}}</th><th scope="col">{{t.arrived}}</th><th scope="col">{{t.from}}</th><th scope="col">{{t.to}}</th><th scope="col">{{t.job}}</th><th scope="col">{{t.berth}}</th><th scope="col">{{t.servedShip}}</th><th scope="col" class="n">{{t.personsAboard}}</th><th scope="col">{{t.remarks}}</th></tr></thead>
<tbody>
{{#page.voyages}}
<tr{{#cross}} class="cross"{{/cross}}><td>{{movementId}}</td><td>{{departed}}</td><td>{{arrived}}</td><td>{{fromArea}}<br><small>{{fromBureau}}</small></td><td>{{toArea}}<br><small>{{toBureau}}</small></td><td>{{job}}</td><td>{{berths}}</td><td>{{servedShip}}</td><td class="n">{{personsAboard}}</td><td>{{remarks}}</td></tr>
{{/page.voyages}}
</tbody>
</table>
{{/page.withdrawn}}
<section class="ais" id="ais-check">
<h2>{{t.aisTitle}}</h2>
{{#page.ais}}
<p class="note">{{t.aisAdvice}}</p>
<dl class="facts">
<div><dt>{{t.aisCoverage}}</dt><dd id="ais-coverage">{{coverage}}</dd></div>
<div><dt>{{t.aisConfirmed}}</dt><dd id="ais-confirmed">{{confirmed}}</dd></div>
<div><dt>{{t.aisNoCoverage}}</dt><dd id="ais-no-coverage">{{noCoverage}}</dd></div>
</dl>
<h3>{{t.aisDiscrepancies}}</h3>
{{^hasDiscrepancies}}<p class="empty">{{t.aisNoDiscrepancies}}</p>{{/hasDiscrepancies}}
{{#hasDiscrepancies}}
<table class="ais-discrepancies">
<thead><tr><th scope="col">{{t.type}}</th><th scope="col">{{t.movementId}}</th><th scope="col">{{t.from}}</th><th scope="col">{{t.to}}</th><th scope="col">{{t.areas}}</th><th scope="col">{{t.remarks}}</th></tr></thead>
<tbody>
{{#discrepancies}}<tr class="{{kind}}"><td><span class="badge ais">{{label}}</span>{{#sharingWrong}} <span class="badge withdrawn">{{t.aisSharingWrong}}</span>{{/sharingWrong}}</td><td>{{movementId}}</td><td>{{from}}</td><td>{{to}}</td><td>{{fromArea}} → {{toArea}}</td><td>{{detail}}</td></tr>
{{/discrepancies}}
</tbody>
</table>
{{/hasDiscrepancies}}
{{/page.ais}}
{{^page.ais}}<p class="empty">{{t.aisNoPositions}}</p>{{/page.ais}}
</section>
<h2>{{t.revisions}}</h2>
<ol class="revisions">
{{#page.revisions}}
<li><a href="{{href}}">{{t.revision}} {{revision}}</a> · {{recordedAt}}{{#late}} <span class="badge late">{{t.badgeLate}}</span>{{/late}}
{{#hasChanges}}<ul class="changes">{{#changes}}<li><span class="badge {{action}}">{{label}}</span> {{movementId}}</li>{{/changes}}</ul>{{/hasChanges}}</li>
{{/page.revisions}}
</ol>
<h2>{{t.acknowledgements}}</h2>
{{#page.noAcknowledgements}}<p class="empty">{{t.noAcknowledgements}}</p>{{/page.noAcknowledgements}}
{{^page.noAcknowledgements}}
<table class="acknowledgements">
<thead><tr><th scope="col">{{t.bureau}}</th><th scope="col">{{t.revision}}</th><th scope="col">{{t.recordedAt}}</th><th scope="col">{{t.remark}}</th></tr></thead>
<tbody>{{#page.acknowledgements}}<tr><td>{{bureau}}</td><td>{{revision}}</td><td>{{recordedAt}}</td><td>{{remark}}</td></tr>{{/page.acknowledgements}}</tbody>
</table>
{{/page.noAcknowledgements}}
{{#page.acknowledgeForm}}
<form class="acknowledge" method="post" action="{{action}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="revision" value="{{revision}}">
<label for="remark">{{t.remark}}</label>
<textarea id="remark" name="remark" maxlength="{{maxRemark}}" rows="2"></textarea>
<button type="submit" id="acknowledge">{{t.acknowledge}} {{revision}}</button>
</form>
{{/page.acknowledgeForm}}
{{/content}}
{{/layout}}
"""#
}
