package io.miroir.diff;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The query corpus of the differential suite: every search parameter of Meilisearch 1.21 alone and in the
 * combinations where a merge can go wrong (windows crossing node answers, ties, caps), facet search, and the bad
 * requests whose error code, type, status and message must be Meilisearch's (SPEC §0 principle 1).
 *
 * <p>Bodies are written in JSON with single quotes for brevity ({@link #o}). About a quarter of the searches go in
 * the GET form ({@link #get}).
 */
final class DiffQueries {
  static final String MAIN = DiffCorpus.MAIN;
  static final String DISTINCT = DiffCorpus.DISTINCT;
  private final List<DiffQuery> queries = new ArrayList<>();
  private final Set<String> names = new HashSet<>();

  private DiffQueries() {
  }

  /** All queries, in a fixed order. */
  static List<DiffQuery> all() {
    DiffQueries b = new DiffQueries();
    b.text();
    b.filters();
    b.sorts();
    b.facets();
    b.pagination();
    b.attributes();
    b.scores();
    b.strategies();
    b.distinct();
    b.combinations();
    b.badRequests();
    b.facetSearches();
    b.federated();
    b.multiSearchErrors();
    b.vectors();
    b.similar();
    return List.copyOf(b.queries);
  }

  // ------------------------------------------------------------------------------------------- q

  private void text() {
    post("q-word", "{'q':'river'}");
    get("q-word-get", "{'q':'mountain'}");
    post("q-two-words", "{'q':'silent river'}");
    post("q-three-words-limit-50", "{'q':'golden harbor lima','limit':50}");
    post("q-phrase", "{'q':'\\'golden harbor\\''}".replace("\\'", "\\\""));
    post("q-phrase-no-match", "{'q':'\\'harbor golden\\''}".replace("\\'", "\\\""));
    post("q-negation", "{'q':'river -winter'}");
    post("q-negated-phrase", "{'q':'river -\\'silent river\\''}".replace("\\'", "\\\""));
    post("q-typo-one", "{'q':'mountian'}");
    post("q-typo-two", "{'q':'librarry'}");
    post("q-prefix", "{'q':'lant'}");
    get("q-prefix-get", "{'q':'orch'}");
    post("q-small-integer", "{'q':'2','limit':50}");
    get("q-small-integer-get", "{'q':'7'}");
    post("q-integer-prefix", "{'q':'1','limit':40}");
    post("q-word-and-integer", "{'q':'river 3'}");
    post("q-integers", "{'q':'1 2 3','limit':30}");
    post("q-isbn-prefix", "{'q':'978','limit':30}");
    post("q-accent-folded", "{'q':'cafe'}");
    post("q-accent", "{'q':'déjà vu'}");
    post("q-uppercase", "{'q':'PARIS'}");
    post("q-place-accent", "{'q':'quebec'}");
    post("q-synonym-novel", "{'q':'novel'}");
    post("q-synonym-multi-word", "{'q':'sf'}");
    post("q-synonym-boat", "{'q':'boat'}");
    post("q-no-match", "{'q':'xylophone'}");
    post("q-empty", "{'q':''}");
    post("q-blank", "{'q':'   '}");
    post("q-null", "{'q':null}");
    post("q-stop-like", "{'q':'the of'}");
    post("q-long", "{'q':'the silent river of paris journey of two friends across the sea','limit':40}");
    post("q-author", "{'q':'Verne'}");
    post("q-nested-country", "{'q':'japan'}");
    get("q-tag-get", "{'q':'steampunk'}");
    post("q-hyphenated", "{'q':'first-edition'}");
    post("q-family-token", "{'q':'fam-12'}");
    post("q-split-word", "{'q':'gold en'}");
    post("q-concat-words", "{'q':'sea side'}");
    post("q-format-word", "{'q':'audiobook poetry'}");
  }

  // -------------------------------------------------------------------------------------- filter

  private void filters() {
    post("filter-equal", "{'filter':'genre = poetry','limit':30}");
    get("filter-equal-get", "{'filter':'genre = history','limit':30}");
    post("filter-and", "{'filter':'genre = poetry AND year > 1950','limit':30}");
    post("filter-or-in", "{'filter':'genre IN [poetry, history] OR price < 10','limit':30}");
    post("filter-not", "{'filter':'NOT genre = fantasy','limit':30}");
    post("filter-range-to", "{'filter':'year 1950 TO 1960','limit':30}");
    post("filter-float", "{'filter':'price >= 150.5','limit':30}");
    post("filter-exists", "{'filter':'rating EXISTS','limit':30}");
    post("filter-not-exists", "{'filter':'rating NOT EXISTS','limit':30}");
    post("filter-is-null", "{'filter':'subtitle IS NULL','limit':30}");
    post("filter-is-empty", "{'filter':'subtitle IS EMPTY','limit':30}");
    post("filter-array-is-empty", "{'filter':'notes IS EMPTY','limit':30}");
    post("filter-is-not-null", "{'filter':'subtitle IS NOT NULL','limit':30}");
    post("filter-array-value", "{'filter':'tags = steampunk','limit':30}");
    post("filter-nested", "{'filter':'author.country = Japan','limit':30}");
    post("filter-boolean", "{'filter':'in_stock = true','limit':30}");
    post("filter-geo-radius", "{'filter':'_geoRadius(48.8566, 2.3522, 5000)','limit':30}");
    post("filter-geo-box", "{'filter':'_geoBoundingBox([49.0, 2.5], [48.7, 2.2])','limit':30}");
    post("filter-id-in", "{'filter':'id IN [1, 2, 3, 4000, 4999]'}");
    post("filter-family", "{'filter':'family = \\\"fam-10\\\"'}");
    post("filter-quoted-space", "{'filter':'author.name = \\\"Ada Verne\\\"','limit':30}");
    post("filter-popularity", "{'filter':'popularity = 7'}");
    post("filter-sparse-range", "{'filter':'volume > 5','limit':30}");
    post("filter-not-in", "{'filter':'format NOT IN [ebook, audiobook] AND year < 1920','limit':30}");
    post("filter-nested-parentheses", "{'filter':'(genre = poetry OR genre = travel) AND (in_stock = false OR "
        + "rating > 4.5)','limit':30}");
    post("filter-with-q", "{'q':'river','filter':'year > 1990'}");
    post("filter-array-and", "{'filter':['genre = poetry','year > 1950'],'limit':30}");
    get("filter-array-and-get", "{'filter':['genre = travel','year < 1950'],'limit':30}");
    post("filter-array-or", "{'filter':[['genre = poetry','genre = history'],'in_stock = true'],'limit':30}");
    post("filter-array-tags-or", "{'filter':[['tags = classic','tags = award']],'limit':30}");
    post("filter-array-empty", "{'filter':[],'limit':10}");
    post("filter-empty-string", "{'filter':'','limit':10}");
    post("filter-no-match", "{'filter':'year > 3000'}");
    post("filter-case-insensitive-value", "{'filter':'genre = POETRY','limit':10}");
    post("filter-accent-value", "{'filter':'author.name = \\\"Chloé Verne\\\"','limit':10}");
  }

  // ---------------------------------------------------------------------------------------- sort

  private void sorts() {
    post("sort-year-asc", "{'sort':['year:asc'],'limit':40}");
    get("sort-year-desc-get", "{'sort':['year:desc'],'limit':40}");
    post("sort-price-asc", "{'sort':['price:asc'],'limit':40}");
    post("sort-rating-desc-missing-last", "{'sort':['rating:desc'],'offset':4250,'limit':40}");
    post("sort-rating-asc-missing-last", "{'sort':['rating:asc'],'filter':'year < 1915','limit':200}");
    post("sort-title-asc", "{'sort':['title:asc'],'limit':40}");
    post("sort-author-name-desc", "{'sort':['author.name:desc'],'limit':40}");
    post("sort-two-keys", "{'sort':['year:desc','price:asc'],'limit':40}");
    post("sort-with-q", "{'q':'river','sort':['price:asc'],'limit':40}");
    post("sort-with-q-and-filter", "{'q':'harbor','sort':['year:asc'],'filter':'in_stock = true'}");
    post("sort-deep-page", "{'sort':['popularity:asc'],'offset':500,'limit':50}");
    post("sort-geo-asc", "{'sort':['_geoPoint(48.8566, 2.3522):asc'],'limit':40}");
    get("sort-geo-asc-get", "{'sort':['_geoPoint(35.0, 135.7):asc'],'limit':20}");
    post("sort-geo-desc", "{'sort':['_geoPoint(48.8566, 2.3522):desc'],'limit':40}");
    post("sort-geo-missing-last", "{'sort':['_geoPoint(0, 0):asc'],'offset':560,'limit':40}");
    post("sort-geo-with-radius", "{'sort':['_geoPoint(59.91, 10.75):asc'],'filter':'_geoRadius(59.91, 10.75, "
        + "8000)','limit':30}");
    post("sort-geo-then-price", "{'sort':['_geoPoint(6.5, 3.4):asc','price:desc'],'limit':30}");
    post("sort-price-then-geo", "{'sort':['price:desc','_geoPoint(48.85, 2.35):asc'],'limit':30}");
    post("sort-geo-retrieve-title", "{'sort':['_geoPoint(30.04, 31.23):asc'],'attributesToRetrieve':['title'],"
        + "'limit':10}");
    post("sort-nested-asc-q", "{'q':'winter','sort':['author.name:asc']}");
  }

  // -------------------------------------------------------------------------------------- facets

  private void facets() {
    post("facets-genre-count-order", "{'facets':['genre'],'limit':5}");
    get("facets-genre-get", "{'facets':['genre','format'],'limit':5}");
    post("facets-tags-cut", "{'facets':['tags'],'limit':5}");
    post("facets-tags-filtered", "{'facets':['tags'],'filter':'genre = poetry','limit':5}");
    post("facets-several", "{'facets':['genre','tags','format','in_stock'],'limit':5}");
    post("facets-star", "{'facets':['*'],'limit':3}");
    post("facets-year-numbers", "{'facets':['year'],'limit':3}");
    post("facets-year-few-candidates", "{'facets':['year'],'filter':'genre = poetry','limit':3}");
    post("facets-price-stats", "{'facets':['price'],'filter':'price < 20','limit':3}");
    post("facets-rating-stats", "{'facets':['rating','popularity'],'limit':3}");
    post("facets-nested", "{'facets':['author.country','author.name'],'limit':3}");
    post("facets-boolean", "{'facets':['in_stock'],'limit':0}");
    post("facets-limit-0", "{'facets':['genre','year'],'limit':0}");
    post("facets-with-q", "{'q':'river','facets':['genre','tags','year']}");
    post("facets-with-q-few", "{'q':'lantern kyoto','facets':['tags','price']}");
    post("facets-page-mode", "{'facets':['genre'],'page':2,'hitsPerPage':5}");
    post("facets-no-candidates", "{'facets':['genre','price'],'filter':'year > 3000'}");
    post("facets-empty-list", "{'facets':[],'limit':3}");
    post("facets-sparse", "{'facets':['volume','subtitle'],'limit':3}");
    post("facets-family-many", "{'facets':['family'],'filter':'year > 2010','limit':3}");
    post("facets-geo-filter", "{'facets':['genre','price'],'filter':'_geoRadius(35.0116, 135.7681, 10000)'}");
    get("facets-star-get", "{'facets':['*'],'q':'harbor','limit':3}");
  }

  // ---------------------------------------------------------------------------------- pagination

  private void pagination() {
    post("limit-0", "{'limit':0}");
    post("limit-1", "{'limit':1}");
    post("offset-10-limit-10", "{'q':'the','offset':10,'limit':10}");
    get("offset-limit-get", "{'q':'garden','offset':5,'limit':7}");
    post("offset-near-cap", "{'offset':590,'limit':20}");
    post("offset-beyond-cap", "{'offset':700,'limit':20}");
    post("offset-beyond-total", "{'q':'kraków','offset':5000,'limit':20}");
    post("limit-1000", "{'limit':1000,'attributesToRetrieve':['id']}");
    post("limit-cap-exact", "{'offset':0,'limit':600,'attributesToRetrieve':['id','year']}");
    post("offset-sorted-pages", "{'sort':['price:desc'],'offset':37,'limit':13}");
    post("page-1", "{'page':1,'hitsPerPage':10}");
    get("page-get", "{'page':3,'hitsPerPage':7}");
    post("page-3-q", "{'q':'winter','page':3,'hitsPerPage':7}");
    post("page-0", "{'page':0,'hitsPerPage':10}");
    post("hits-per-page-0", "{'page':1,'hitsPerPage':0}");
    post("page-beyond", "{'page':61,'hitsPerPage':10}");
    post("page-beyond-cap", "{'page':7,'hitsPerPage':100,'attributesToRetrieve':['id']}");
    post("page-only", "{'page':2}");
    post("hits-per-page-only", "{'hitsPerPage':3}");
    post("page-filter-exact-total", "{'filter':'genre = poetry','page':2,'hitsPerPage':25}");
    post("page-q-exact-total", "{'q':'lantern','page':1,'hitsPerPage':5}");
    post("page-sort", "{'sort':['year:asc'],'page':4,'hitsPerPage':9}");
    // Deep windows are fetched in two phases (SearchPlan.twoPhase): ranking first, then each node's run of the window.
    post("two-phase-highlight", "{'q':'the','offset':40,'limit':20,'attributesToHighlight':['title'],"
        + "'showMatchesPosition':true}");
    post("two-phase-crop-page", "{'q':'garden','page':4,'hitsPerPage':10,'attributesToCrop':['description'],"
        + "'cropLength':5}");
    post("two-phase-sort-facets", "{'q':'river','sort':['year:desc'],'offset':30,'limit':15,'facets':['genre'],"
        + "'attributesToRetrieve':['title']}");
    post("two-phase-scores", "{'q':'the','offset':60,'limit':20,'showRankingScore':true,"
        + "'showRankingScoreDetails':true}");
    post("two-phase-ties", "{'offset':120,'limit':30,'attributesToRetrieve':['id']}");
    get("two-phase-get", "{'q':'winter','offset':25,'limit':5,'attributesToHighlight':['*']}");
  }

  // --------------------------------------------------------------------------------- attributes

  private void attributes() {
    post("retrieve-title", "{'q':'river','attributesToRetrieve':['title']}");
    get("retrieve-get", "{'q':'river','attributesToRetrieve':['id','author.name']}");
    post("retrieve-nested-parent", "{'q':'river','attributesToRetrieve':['id','author']}");
    post("retrieve-star", "{'attributesToRetrieve':['*'],'limit':5}");
    post("retrieve-empty", "{'q':'river','attributesToRetrieve':[]}");
    post("retrieve-unknown", "{'attributesToRetrieve':['nonexistent'],'limit':5}");
    post("retrieve-geo", "{'attributesToRetrieve':['_geo','id'],'limit':5}");
    post("highlight-two", "{'q':'river','attributesToHighlight':['title','description']}");
    get("highlight-get", "{'q':'harbor','attributesToHighlight':['title']}");
    post("highlight-star", "{'q':'silent garden','attributesToHighlight':['*'],'limit':10}");
    post("highlight-tags", "{'q':'river','attributesToHighlight':['title'],'highlightPreTag':'<mark>',"
        + "'highlightPostTag':'</mark>'}");
    post("highlight-no-q", "{'attributesToHighlight':['title'],'limit':5}");
    post("highlight-nested", "{'q':'japan','attributesToHighlight':['author.country'],'limit':10}");
    post("crop", "{'q':'journey','attributesToCrop':['description'],'cropLength':5}");
    post("crop-marker", "{'q':'friends','attributesToCrop':['description'],'cropLength':4,'cropMarker':'[…]'}");
    post("crop-per-attribute", "{'q':'night','attributesToCrop':['description:3','title']}");
    post("crop-and-highlight", "{'q':'dragon queen','attributesToCrop':['description'],'attributesToHighlight':"
        + "['description'],'cropLength':6}");
    get("crop-get", "{'q':'map','attributesToCrop':['description'],'cropLength':3}");
    post("matches-position", "{'q':'river','showMatchesPosition':true}");
    post("matches-position-integer", "{'q':'2 river','showMatchesPosition':true,'limit':30}");
    post("matches-position-retrieve", "{'q':'harbor','showMatchesPosition':true,'attributesToRetrieve':['id']}");
    post("search-on-title", "{'q':'river','attributesToSearchOn':['title']}");
    get("search-on-get", "{'q':'verne','attributesToSearchOn':['author.name']}");
    post("search-on-two", "{'q':'silent winter','attributesToSearchOn':['description','title']}");
    post("search-on-star", "{'q':'2','attributesToSearchOn':['*'],'limit':30}");
    post("search-on-tags", "{'q':'classic','attributesToSearchOn':['tags']}");
    post("search-on-integer-title", "{'q':'3','attributesToSearchOn':['title'],'limit':30}");
    post("crop-marker-highlight-tags", "{'q':'silent harbor','attributesToCrop':['description'],'cropLength':7,"
        + "'cropMarker':'...','attributesToHighlight':['title','description'],'highlightPreTag':'[',"
        + "'highlightPostTag':']'}");
    get("crop-marker-get", "{'q':'voyage','attributesToCrop':['description'],'cropMarker':'~','cropLength':4,"
        + "'highlightPreTag':'<b>','highlightPostTag':'</b>','attributesToHighlight':['description']}");
    post("matches-position-crop", "{'q':'guide map','showMatchesPosition':true,'attributesToCrop':['description'],"
        + "'cropLength':5}");
    post("matches-position-nested", "{'q':'peru','showMatchesPosition':true,'limit':10}");
    post("matches-position-typo", "{'q':'laterns','showMatchesPosition':true,'attributesToHighlight':['*']}");
    post("locales-search-on", "{'q':'winter','locales':['eng'],'attributesToSearchOn':['title']}");
    post("locales-two", "{'q':'déjà vu','locales':['fra','eng'],'limit':10}");
    post("locales-eng", "{'q':'river','locales':['eng']}");
    post("locales-fra", "{'q':'café','locales':['fra']}");
    post("locales-jpn", "{'q':'kyoto','locales':['jpn']}");
  }

  // ------------------------------------------------------------------------------------- scores

  private void scores() {
    post("score", "{'q':'silent river','showRankingScore':true}");
    get("score-get", "{'q':'golden','showRankingScore':true}");
    post("score-details", "{'q':'silent river','showRankingScoreDetails':true}");
    post("score-details-sort", "{'q':'river','sort':['year:asc'],'showRankingScoreDetails':true}");
    post("score-details-geo", "{'sort':['_geoPoint(48.8566, 2.3522):asc'],'showRankingScoreDetails':true,"
        + "'limit':10}");
    post("score-placeholder", "{'showRankingScore':true,'showRankingScoreDetails':true,'limit':10}");
    post("threshold-half", "{'q':'golden river paris','rankingScoreThreshold':0.5,'limit':50}");
    post("threshold-high", "{'q':'golden river paris','rankingScoreThreshold':0.9}");
    post("threshold-zero", "{'q':'river','rankingScoreThreshold':0.0}");
    post("threshold-one", "{'q':'river','rankingScoreThreshold':1.0}");
    post("threshold-page-mode", "{'q':'winter garden','rankingScoreThreshold':0.6,'page':1,'hitsPerPage':10}");
    post("threshold-facets", "{'q':'silent','rankingScoreThreshold':0.8,'facets':['genre'],'showRankingScore':true}");
  }

  // --------------------------------------------------------------------------- matchingStrategy

  private void strategies() {
    post("strategy-last", "{'q':'silent river kyoto winter','matchingStrategy':'last','limit':40}");
    get("strategy-all-get", "{'q':'silent river','matchingStrategy':'all'}");
    post("strategy-all", "{'q':'golden harbor lima','matchingStrategy':'all'}");
    post("strategy-all-none", "{'q':'golden harbor xylophone','matchingStrategy':'all'}");
    post("strategy-frequency", "{'q':'the silent river','matchingStrategy':'frequency','limit':30}");
  }

  // ------------------------------------------------------------------------------------ distinct

  private void distinct() {
    post("distinct-family", "{'distinct':'family','limit':40}");
    post("distinct-family-q", "{'q':'river','distinct':'family','limit':40}");
    post("distinct-genre", "{'distinct':'genre'}");
    get("distinct-genre-get", "{'distinct':'format','q':'harbor'}");
    post("distinct-country-sort", "{'distinct':'author.country','sort':['price:asc']}");
    post("distinct-page-mode", "{'distinct':'genre','page':1,'hitsPerPage':5}");
    post("distinct-tags-array", "{'distinct':'tags','q':'silent','limit':30}");
    post("distinct-family-offset", "{'q':'garden','distinct':'family','offset':20,'limit':20}");
    on(DISTINCT, "index-distinct-placeholder", "{'limit':30}", false);
    on(DISTINCT, "index-distinct-q", "{'q':'winter','limit':40}", false);
    on(DISTINCT, "index-distinct-page", "{'q':'river','page':2,'hitsPerPage':10}", false);
    on(DISTINCT, "index-distinct-sort", "{'sort':['price:asc'],'limit':30}", false);
    on(DISTINCT, "index-distinct-page-filter", "{'filter':'genre = poetry','page':3,'hitsPerPage':10}", false);
    on(DISTINCT, "index-distinct-page-capped", "{'page':1,'hitsPerPage':5}", false);
    on(DISTINCT, "index-distinct-page-facets", "{'q':'lantern','facets':['genre','author.country','format','price'],"
        + "'page':1,'hitsPerPage':5}", false);
    on(DISTINCT, "index-distinct-page-sorted", "{'q':'garden','sort':['year:asc'],'page':2,'hitsPerPage':6}", true);
    post("distinct-family-page", "{'q':'harbor','distinct':'family','page':2,'hitsPerPage':10}");
    post("distinct-country-page-filter", "{'distinct':'author.country','filter':'year > 2000','page':1,"
        + "'hitsPerPage':4}");
    on(DISTINCT, "index-distinct-facets-shared", "{'q':'lantern','facets':['genre','author.country']}", false);
    on(DISTINCT, "index-distinct-get", "{'q':'harbor','limit':15}", true);
    on(DISTINCT, "index-distinct-override", "{'q':'harbor','distinct':'genre'}", false);
    on(DISTINCT, "index-distinct-filter", "{'filter':'genre = poetry','sort':['year:desc'],'limit':50}", false);
  }

  // ------------------------------------------------------------------------------- combinations

  private void combinations() {
    post("combo-everything", "{'q':'river','filter':'year > 1950','sort':['price:asc'],'facets':['genre','price'],"
        + "'attributesToRetrieve':['title','price'],'attributesToHighlight':['title'],'showMatchesPosition':true,"
        + "'showRankingScore':true,'offset':3,'limit':12}");
    get("combo-get", "{'q':'garden','filter':'in_stock = true','sort':['year:desc'],'facets':['format'],"
        + "'attributesToRetrieve':['id','title','year'],'offset':2,'limit':8}");
    post("combo-geo-facets", "{'filter':'_geoRadius(6.5244, 3.3792, 20000)','sort':['_geoPoint(6.5244, 3.3792):asc'],"
        + "'facets':['genre','year'],'page':2,'hitsPerPage':15}");
    post("combo-search-on-crop", "{'q':'friends journey','attributesToSearchOn':['description'],"
        + "'attributesToCrop':['description'],'cropLength':8,'matchingStrategy':'all'}");
    post("combo-threshold-sort", "{'q':'silent','sort':['rating:desc'],'rankingScoreThreshold':0.7,'limit':30}");
    post("combo-typo-filter-page", "{'q':'lanturn','filter':'genre IN [poetry, mystery, horror]','page':1,"
        + "'hitsPerPage':20,'facets':['genre']}");
    post("combo-distinct-facets-sort", "{'q':'harbor','distinct':'family','sort':['year:asc'],'facets':['genre']}");
    post("combo-ties-pages-1", "{'q':'the','offset':0,'limit':25,'attributesToRetrieve':['id']}");
    post("combo-ties-pages-2", "{'q':'the','offset':25,'limit':25,'attributesToRetrieve':['id']}");
    post("combo-integer-facets", "{'q':'5','facets':['genre'],'limit':20}");
    post("combo-integer-page", "{'q':'12','page':1,'hitsPerPage':30}");
  }

  // ------------------------------------------------------------------------------- bad requests

  private void badRequests() {
    add(new DiffQuery("bad-unknown-index", DiffQuery.Kind.SEARCH, "diff_missing", o("{'q':'river'}"), false,
        Set.of()));
    add(new DiffQuery("bad-unknown-index-get", DiffQuery.Kind.SEARCH, "diff_missing", o("{'q':'river'}"), true,
        Set.of()));
    post("bad-filter-syntax", "{'filter':'genre = '}");
    post("bad-filter-operator", "{'filter':'genre ==== poetry'}");
    post("bad-filter-parenthesis", "{'filter':'(genre = poetry'}");
    get("bad-filter-get", "{'filter':'year >'}");
    post("bad-filter-not-filterable", "{'filter':'isbn = 978'}");
    post("bad-filter-array-not-filterable", "{'filter':['genre = poetry','isbn = 978']}");
    post("bad-filter-type", "{'filter':5}");
    post("bad-filter-geo", "{'filter':'_geoRadius(48.8)'}");
    post("bad-sort-not-sortable", "{'sort':['genre:asc']}");
    get("bad-sort-not-sortable-get", "{'sort':['isbn:desc']}");
    post("bad-sort-direction", "{'sort':['year:up']}");
    post("bad-sort-type", "{'sort':'year:asc'}");
    post("bad-sort-geo", "{'sort':['_geoPoint(48.8):asc']}");
    post("bad-facets-not-filterable", "{'facets':['isbn']}");
    post("bad-facets-type", "{'facets':'genre'}");
    post("bad-distinct-not-filterable", "{'distinct':'isbn'}");
    post("bad-limit-type", "{'limit':'ten'}");
    post("bad-offset-negative", "{'offset':-1}");
    // A deep window (two phases) whose ranking phase is valid and whose window phase the nodes refuse: asked again
    // in one phase, then judged by a node.
    post("bad-two-phase-highlight", "{'q':'the','offset':40,'limit':20,'attributesToHighlight':5}");
    post("bad-page-negative", "{'page':-1}");
    post("bad-hits-per-page-type", "{'hitsPerPage':'x'}");
    post("bad-q-type", "{'q':5}");
    post("bad-retrieve-type", "{'attributesToRetrieve':'title'}");
    post("bad-show-score-type", "{'showRankingScore':'yes'}");
    post("bad-threshold-range", "{'q':'river','rankingScoreThreshold':2.0}");
    post("bad-strategy", "{'q':'river','matchingStrategy':'none'}");
    post("bad-locales", "{'q':'river','locales':['xx']}");
    post("bad-unknown-parameter", "{'q':'river','foo':1}");
    post("bad-crop-length", "{'q':'river','cropLength':-2}");
    post("bad-search-on-type", "{'q':'river','attributesToSearchOn':'title'}");
    post("bad-hybrid-no-embedder", "{'q':'river','hybrid':{'embedder':'default','semanticRatio':0.5}}");
    raw("bad-malformed-json", MAIN, "{\"q\": \"river\"");
    raw("bad-array-body", MAIN, "[]");
    get("bad-limit-get", "{'limit':'abc'}");
  }

  // ------------------------------------------------------------------------------- facet search

  private void facetSearches() {
    facet("fs-genre", "{'facetName':'genre'}");
    facet("fs-genre-query", "{'facetName':'genre','facetQuery':'po'}");
    facet("fs-tags-cut", "{'facetName':'tags'}");
    facet("fs-tags-query", "{'facetName':'tags','facetQuery':'s'}");
    facet("fs-country-query", "{'facetName':'author.country','facetQuery':'ja'}");
    facet("fs-author-accent", "{'facetName':'author.name','facetQuery':'chloe'}");
    facet("fs-with-q", "{'facetName':'format','q':'river'}");
    facet("fs-with-q-integer", "{'facetName':'genre','q':'2'}");
    facet("fs-with-filter", "{'facetName':'tags','facetQuery':'c','filter':'genre = poetry'}");
    facet("fs-with-filter-array", "{'facetName':'format','filter':['year > 2000','in_stock = true']}");
    facet("fs-exhaustive", "{'facetName':'author.country','exhaustiveFacetCount':true}");
    facet("fs-strategy-all", "{'facetName':'genre','q':'silent river','matchingStrategy':'all'}");
    facet("fs-search-on", "{'facetName':'genre','q':'verne','attributesToSearchOn':['author.name']}");
    facet("fs-no-match", "{'facetName':'genre','facetQuery':'zzz'}");
    facet("fs-family-many", "{'facetName':'family','facetQuery':'fam-1'}");
    facet("fs-bad-not-filterable", "{'facetName':'isbn'}");
    facet("fs-bad-missing-name", "{'facetQuery':'po'}");
    facet("fs-bad-filter", "{'facetName':'genre','filter':'genre ='}");
    add(new DiffQuery("fs-bad-unknown-index", DiffQuery.Kind.FACET_SEARCH, "diff_missing",
        o("{'facetName':'genre'}"), false, Set.of()));
  }

  // ---------------------------------------------------------------------------- vector search

  /** A query vector near document {@code id} of the vector index. */
  static io.vertx.core.json.JsonArray vectorNear(int id) {
    io.vertx.core.json.JsonArray v = DiffCorpus.vectorDocuments().getJsonObject(id).getJsonObject("_vectors")
        .getJsonArray(DiffCorpus.EMBEDDER).copy();
    v.set(0, v.getDouble(0) + 0.05);
    return v;
  }

  private void vectors() {
    String v = DiffCorpus.VECTORS;
    String hybrid = "'hybrid':{'embedder':'" + DiffCorpus.EMBEDDER + "','semanticRatio':";
    vector("vec-semantic", "{" + hybrid + "1.0},'limit':20}", 3);
    vector("vec-semantic-scores", "{" + hybrid + "1.0},'limit':15,'showRankingScore':true,"
        + "'showRankingScoreDetails':true}", 17);
    vector("vec-semantic-filter", "{" + hybrid + "1.0},'filter':'genre = poetry','limit':10}", 40);
    vector("vec-semantic-offset", "{" + hybrid + "1.0},'offset':12,'limit':8}", 101);
    vector("vec-retrieve-vectors", "{" + hybrid + "1.0},'retrieveVectors':true,'limit':5}", 222);
    vector("vec-semantic-threshold", "{" + hybrid + "1.0},'rankingScoreThreshold':0.9,'limit':30}", 5);
    vector("vec-hybrid-keyword-only", "{'q':'river'," + hybrid + "0.0},'limit':10}", 8);
    vector("vec-hybrid-mixed", "{'q':'winter'," + hybrid + "0.5},'limit':10,'showRankingScore':true}", 12);
    on(v, "vec-retrieve-vectors-keyword", "{'q':'garden','retrieveVectors':true,'limit':10}", false);
    post("retrieve-vectors-no-embedder", "{'q':'river','retrieveVectors':true,'limit':5}");
    on(v, "bad-vec-no-hybrid", "{'vector':[1,2,3,4,5,6,7,8]}", false);
    on(v, "bad-vec-dimensions", "{'vector':[1,2]," + hybrid + "1.0}}", false);
    on(v, "bad-vec-embedder", "{'vector':[1,2,3,4,5,6,7,8],'hybrid':{'embedder':'nope','semanticRatio':1.0}}",
        false);
  }

  private void vector(String name, String json, int near) {
    JsonObject body = o(json);
    body.put("vector", vectorNear(near));
    add(new DiffQuery(name, DiffQuery.Kind.SEARCH, DiffCorpus.VECTORS, body, false, Set.of()));
  }

  // --------------------------------------------------------------------------- similar documents

  private void similar() {
    String e = "'embedder':'" + DiffCorpus.EMBEDDER + "'";
    similar("sim-basic", "{'id':7," + e + "}", false);
    similar("sim-get", "{'id':7," + e + ",'limit':12}", true);
    similar("sim-limit", "{'id':42," + e + ",'limit':40}", false);
    similar("sim-offset", "{'id':42," + e + ",'offset':10,'limit':10}", false);
    similar("sim-offset-beyond-cap", "{'id':11," + e + ",'offset':295,'limit':10}", false);
    similar("sim-string-id", "{'id':'120'," + e + ",'limit':10}", false);
    similar("sim-filter", "{'id':7," + e + ",'filter':'genre = poetry','limit':10}", false);
    similar("sim-filter-get", "{'id':8," + e + ",'filter':'popularity > 50','limit':10}", true);
    similar("sim-filter-array", "{'id':300," + e + ",'filter':[['genre = poetry','genre = travel'],"
        + "'popularity < 80'],'limit':10}", false);
    similar("sim-filter-excludes-target", "{'id':7," + e + ",'filter':'id != 7 AND popularity > 20','limit':10}",
        false);
    similar("sim-retrieve", "{'id':64," + e + ",'attributesToRetrieve':['title'],'showRankingScore':true}", false);
    similar("sim-details", "{'id':65," + e + ",'showRankingScoreDetails':true,'limit':5}", false);
    similar("sim-retrieve-vectors", "{'id':66," + e + ",'retrieveVectors':true,'limit':5}", false);
    similar("sim-threshold", "{'id':67," + e + ",'rankingScoreThreshold':0.85,'limit':30}", false);
    similar("sim-bad-unknown-id", "{'id':99999," + e + "}", false);
    similar("sim-bad-no-vector", "{'id':" + (DiffCorpus.WITHOUT_VECTOR_EVERY - 1) + "," + e + "}", false);
    similar("sim-bad-embedder", "{'id':7,'embedder':'nope'}", false);
    similar("sim-bad-invalid-id", "{'id':'a b'," + e + "}", false);
    similar("sim-bad-missing-embedder", "{'id':7}", false);
    similar("sim-bad-missing-embedder-get", "{'id':7}", true);
    similar("sim-bad-filter", "{'id':7," + e + ",'filter':'genre ='}", false);
    similar("sim-bad-filter-not-filterable", "{'id':7," + e + ",'filter':'title = x'}", false);
    similar("sim-bad-offset-type", "{'id':7," + e + ",'offset':'x'}", false);
    similar("sim-bad-unknown-field", "{'id':7," + e + ",'q':'x'}", false);
    add(new DiffQuery("sim-bad-unknown-index", DiffQuery.Kind.SIMILAR, "diff_missing", o("{'id':7," + e + "}"),
        false, Set.of()));
  }

  private void similar(String name, String json, boolean get) {
    add(new DiffQuery(name, DiffQuery.Kind.SIMILAR, DiffCorpus.VECTORS, o(json), get, Set.of()));
  }

  // -------------------------------------------------------------------------- federated search

  private void federated() {
    String m = MAIN;
    String d = DISTINCT;
    multi("fed-two-queries-one-index", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'" + m + "','q':'harbor'}]}");
    multi("fed-overlapping-queries", "{'federation':{'limit':40},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'" + m + "','q':'silent river'}]}");
    multi("fed-two-indexes", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m + "','q':'garden'},"
        + "{'indexUid':'" + d + "','q':'lantern'}]}");
    multi("fed-weights", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m + "','q':'river',"
        + "'federationOptions':{'weight':0.5}},{'indexUid':'" + m + "','q':'winter','federationOptions':"
        + "{'weight':1.3}}]}");
    multi("fed-weight-zero", "{'federation':{'limit':15},'queries':[{'indexUid':'" + m + "','q':'mountain',"
        + "'federationOptions':{'weight':0.0}},{'indexUid':'" + d + "','q':'orchard'}]}");
    multi("fed-weights-three-queries", "{'federation':{'limit':25,'offset':5},'queries':[{'indexUid':'" + m
        + "','q':'golden','federationOptions':{'weight':0.9}},{'indexUid':'" + d + "','q':'golden harbor'},"
        + "{'indexUid':'" + m + "','q':'compass','federationOptions':{'weight':1.1}}]}");
    multi("fed-offset", "{'federation':{'offset':15,'limit':10},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'" + d + "','q':'river'}]}");
    multi("fed-offset-beyond", "{'federation':{'offset':5000,'limit':10},'queries':[{'indexUid':'" + m
        + "','q':'river'}]}");
    multi("fed-deep-window-no-cap", "{'federation':{'offset':590,'limit':30},'queries':[{'indexUid':'" + m
        + "','filter':'year > 1950','attributesToRetrieve':['id']}]}");
    multi("fed-limit-0-facets", "{'federation':{'limit':0,'facetsByIndex':{'" + m + "':['genre','format']}},"
        + "'queries':[{'indexUid':'" + m + "','q':'winter'}]}");
    multi("fed-facets-by-index", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['genre','in_stock'],'" + d
        + "':['format','author.country']}},'queries':[{'indexUid':'" + m + "','q':'harbor'},{'indexUid':'" + m
        + "','q':'lantern'},{'indexUid':'" + d + "','q':'harbor'}]}");
    multi("fed-facets-by-index-unused-index", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['genre'],'"
        + d + "':['format']}},'queries':[{'indexUid':'" + m + "','q':'harbor'}]}");
    multi("fed-facets-by-index-null-and-empty", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':null,'" + d
        + "':[]}},'queries':[{'indexUid':'" + m + "','q':'harbor'},{'indexUid':'" + d + "','q':'harbor'}]}");
    multi("fed-facets-stats", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['price','rating']}},"
        + "'queries':[{'indexUid':'" + m + "','q':'kyoto'},{'indexUid':'" + m + "','filter':'genre = poetry'}]}");
    multi("fed-facets-tags-cut", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['tags']}},"
        + "'queries':[{'indexUid':'" + m + "','q':'silent'}]}");
    multi("fed-facets-star", "{'federation':{'limit':5,'facetsByIndex':{'" + d + "':['*']}},"
        + "'queries':[{'indexUid':'" + d + "','q':'lima'}]}");
    multi("fed-merge-facets", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['genre','tags'],'" + d
        + "':['genre','format']},'mergeFacets':{}},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'" + d + "','q':'winter'}]}");
    multi("fed-merge-facets-max", "{'federation':{'limit':5,'facetsByIndex':{'" + m + "':['genre','format'],'" + d
        + "':['genre','price']},'mergeFacets':{'maxValuesPerFacet':4}},'queries':[{'indexUid':'" + m
        + "','q':'garden'},{'indexUid':'" + d + "','q':'mirror'}]}");
    multi("fed-merge-facets-unused-index", "{'federation':{'limit':5,'facetsByIndex':{'" + d + "':['genre']},"
        + "'mergeFacets':{}},'queries':[{'indexUid':'" + m + "','q':'river'}]}");
    multi("fed-filters", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m + "','filter':'genre = poetry',"
        + "'q':'river'},{'indexUid':'" + m + "','filter':['year > 2000',['format = ebook','format = audiobook']],"
        + "'q':'winter'}]}");
    multi("fed-placeholders", "{'federation':{'limit':30,'offset':10},'queries':[{'indexUid':'" + m
        + "','filter':'genre = travel'},{'indexUid':'" + d + "','filter':'genre = horror'}]}");
    multi("fed-sort-placeholder", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m
        + "','filter':'genre = poetry','sort':['year:asc']},{'indexUid':'" + m + "','filter':'genre = travel',"
        + "'sort':['year:asc']}]}");
    multi("fed-sort-with-q", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m + "','q':'river',"
        + "'sort':['price:asc']},{'indexUid':'" + m + "','q':'winter','sort':['price:asc']}]}");
    multi("fed-geo-sort-desc", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m + "','filter':"
        + "'genre = poetry','sort':['_geoPoint(48.8566, 2.3522):desc']},{'indexUid':'" + m + "','filter':"
        + "'genre = travel','sort':['_geoPoint(48.8566, 2.3522):desc']}]}");
    multi("fed-scores-shown", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m + "','q':'golden river',"
        + "'showRankingScore':true,'showRankingScoreDetails':true},{'indexUid':'" + d + "','q':'lantern',"
        + "'showRankingScore':true}]}");
    multi("fed-retrieve-highlight", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m + "','q':'harbor',"
        + "'attributesToRetrieve':['title','year'],'attributesToHighlight':['title']},{'indexUid':'" + m
        + "','q':'meadow','attributesToCrop':['description'],'cropLength':5,'showMatchesPosition':true}]}");
    multi("fed-distinct", "{'federation':{'limit':30},'queries':[{'indexUid':'" + m + "','q':'garden',"
        + "'distinct':'family'},{'indexUid':'" + d + "','q':'voyage'}]}");
    multi("fed-number-query", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m + "','q':'3'},"
        + "{'indexUid':'" + m + "','q':'river 12'}]}");
    multi("fed-strategy-threshold", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m
        + "','q':'silent river kyoto','matchingStrategy':'all'},{'indexUid':'" + m + "','q':'golden lantern',"
        + "'rankingScoreThreshold':0.8}]}");
    multi("fed-search-on-locales", "{'federation':{'limit':20},'queries':[{'indexUid':'" + m + "','q':'verne',"
        + "'attributesToSearchOn':['author.name']},{'indexUid':'" + m + "','q':'café','locales':['fra']}]}");
    multi("fed-empty-queries", "{'federation':{},'queries':[]}");
    multi("fed-bad-query-pagination", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'" + m + "','q':'winter','limit':5}]}");
    multi("fed-bad-query-facets", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river',"
        + "'facets':['genre']}]}");
    multi("fed-bad-unknown-index", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river'},"
        + "{'indexUid':'diff_missing','q':'x'}]}");
    multi("fed-bad-facets-unknown-index", "{'federation':{'facetsByIndex':{'diff_missing':['genre']}},"
        + "'queries':[{'indexUid':'" + m + "','q':'river'}]}");
    multi("fed-bad-facets-not-filterable", "{'federation':{'facetsByIndex':{'" + m + "':['isbn']}},"
        + "'queries':[{'indexUid':'" + m + "','q':'river'}]}");
    multi("fed-bad-page", "{'federation':{'page':2},'queries':[{'indexUid':'" + m + "','q':'river'}]}");
    multi("fed-bad-weight", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river',"
        + "'federationOptions':{'weight':-1}}]}");
    multi("fed-bad-filter", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river'},{'indexUid':'" + m
        + "','filter':'genre ='}]}");
    multi("fed-bad-filter-not-filterable", "{'federation':{},'queries':[{'indexUid':'" + m
        + "','filter':'isbn = 1'}]}");
    multi("fed-bad-merge-facets-type", "{'federation':{'mergeFacets':5},'queries':[{'indexUid':'" + m
        + "','q':'river'}]}");
    multi("fed-bad-ranking-rules", "{'federation':{},'queries':[{'indexUid':'" + m + "','filter':'year > 2000',"
        + "'sort':['year:asc']},{'indexUid':'" + m + "','q':'river','sort':['year:asc']}]}");
    multi("fed-bad-offset-type", "{'federation':{'offset':-3},'queries':[{'indexUid':'" + m + "','q':'river'}]}");
    multi("fed-bad-remote", "{'federation':{},'queries':[{'indexUid':'" + m + "','q':'river',"
        + "'federationOptions':{'remote':'elsewhere'}}]}");
  }

  /** Non-federated multi-search requests a node refuses as a whole (Meilisearch 1.21 fails the whole request). */
  private void multiSearchErrors() {
    String m = MAIN;
    multi("ms-bad-unknown-index", "{'queries':[{'indexUid':'" + m + "','q':'river'},{'indexUid':'diff_missing',"
        + "'q':'x'}]}");
    multi("ms-bad-filter", "{'queries':[{'indexUid':'" + m + "','q':'river'},{'indexUid':'" + m
        + "','filter':'genre ='}]}");
    multi("ms-bad-limit-type", "{'queries':[{'indexUid':'" + m + "','q':'river','limit':'x'}]}");
    multi("ms-bad-federation-options", "{'queries':[{'indexUid':'" + m + "','q':'river','federationOptions':"
        + "{'weight':2}}]}");
    multi("ms-bad-missing-index-uid", "{'queries':[{'q':'river'}]}");
    multi("ms-bad-sort-not-sortable", "{'queries':[{'indexUid':'" + m + "','q':'river'},{'indexUid':'"
        + DISTINCT + "','sort':['isbn:asc']}]}");
  }

  // ----------------------------------------------------------------------------------- helpers

  private void multi(String name, String json) {
    JsonObject body = o(json);
    Object first = body.getJsonArray("queries").isEmpty() ? null
        : body.getJsonArray("queries").getJsonObject(0).getValue("indexUid");
    add(new DiffQuery(name, DiffQuery.Kind.MULTI_SEARCH, first instanceof String s ? s : MAIN, body, false,
        Set.of()));
  }

  private void post(String name, String json) {
    on(MAIN, name, json, false);
  }

  private void get(String name, String json) {
    on(MAIN, name, json, true);
  }

  private void on(String index, String name, String json, boolean get) {
    add(new DiffQuery(name, DiffQuery.Kind.SEARCH, index, o(json), get, Set.of()));
  }

  private void facet(String name, String json) {
    add(new DiffQuery(name, DiffQuery.Kind.FACET_SEARCH, MAIN, o(json), false, Set.of()));
  }

  private void raw(String name, String index, String text) {
    add(new DiffQuery(name, DiffQuery.Kind.SEARCH, index, text, false, Set.of()));
  }

  private void add(DiffQuery q) {
    if (!names.add(q.name())) {
      throw new IllegalStateException("duplicate query name " + q.name());
    }
    queries.add(q);
  }

  /** JSON written with single quotes (none of the corpus values contains one). */
  static JsonObject o(String singleQuoted) {
    return new JsonObject(singleQuoted.replace('\'', '"'));
  }
}
