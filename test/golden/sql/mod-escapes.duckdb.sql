-- over: keeps every event the rule can match
     (coalesce(lower(eventname) LIKE '%100\%%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%a\_b%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%x*y%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%q_z%' ESCAPE '\', FALSE))
  OR coalesce(strlen(eventname) <> length(eventname), FALSE)
-- under: keeps only events the rule surely matches (printed under NOT)
  ((coalesce(lower(eventname) LIKE '%100\%%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%a\_b%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%x*y%' ESCAPE '\', FALSE) OR coalesce(lower(eventname) LIKE '%q_z%' ESCAPE '\', FALSE)) AND (NOT coalesce(strlen(eventname) <> length(eventname), FALSE)))
