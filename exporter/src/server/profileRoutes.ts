import type express from 'express';
import type { ProfileCache } from '../profile/profileCache';
import { withoutValues } from '../profile/profileModel';
import type { DataTrustService } from '../service/dataTrustService';
import { hasValidToken } from './bearerAuth';
import { HttpError } from './httpError';

/**
 * `GET /api/v1/datasets/{dataset}/profile[?refresh=true]`: the latest profile (taken on demand,
 * kept an hour). Min/max, means and top values are data, so like failed-row samples they are
 * shown only with the API token; forcing a new profile (a full read) needs the token too.
 */
export function profileRoutes(app: express.Express, service: DataTrustService, profiles: ProfileCache, token: string | undefined): void {
  app.get('/api/v1/datasets/:dataset/profile', async (req, res) => {
    const dataset = String(req.params.dataset ?? '');
    if (!service.snapshot.datasets.includes(dataset)) throw new HttpError(404, `unknown dataset \`${dataset}\``);
    const refresh = req.query.refresh;
    if (refresh !== undefined && refresh !== 'true' && refresh !== 'false') throw new HttpError(400, '`refresh` must be `true` or `false`');
    const authorized = hasValidToken(req, token);
    if (refresh === 'true' && !authorized) throw new HttpError(401, '`refresh=true` reads the whole dataset again: it needs `Authorization: Bearer <token>`');
    let answer;
    try {
      answer = await profiles.get(dataset, refresh === 'true');
    } catch (e) {
      throw new HttpError(502, `cannot profile \`${dataset}\`: ${(e as Error).message}`);
    }
    res.json({ ...(authorized ? answer.profile : withoutValues(answer.profile)), cached: answer.cached, valuesShown: authorized });
  });
}
