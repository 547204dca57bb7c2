import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { folderIdFromUrl } from '../../../../src/nms/folders/lookup.js'
import type { FolderContext } from '../../../../src/nms/folders/context.js'

const ctx = { boxUrl: 'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555', box: { boxId: 'tel:+1555' } } as unknown as FolderContext

describe('folderIdFromUrl', () => {
  it('takes the id from a folder URL of this box', () => {
    assert.equal(folderIdFromUrl(ctx, 'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555/folders/abc_-1'), 'abc_-1')
  })

  it('ignores scheme and host, accepts a trailing slash, acr:auth and a relative URL', () => {
    assert.equal(folderIdFromUrl(ctx, 'http://proxy.internal:8080/base-path/nms/v1/base/tel%3A%2B1555/folders/F1/'), 'F1')
    assert.equal(folderIdFromUrl(ctx, '/base-path/nms/v1/base/acr%3Aauth/folders/F1'), 'F1')
    assert.equal(folderIdFromUrl(ctx, '/base-path/nms/v1/base/tel:+1555/folders/F1'), 'F1')
  })

  it('refuses URLs of another box, store or resource, and garbage', () => {
    for (const url of [
      'https://nms.example/base-path/nms/v1/base/tel%3A%2B1666/folders/F1',
      'https://nms.example/base-path/nms/v1/other/tel%3A%2B1555/folders/F1',
      'https://nms.example/nms/v1/base/tel%3A%2B1555/folders/F1',
      'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555/objects/F1',
      'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555/folders/operations',
      'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555/folders/',
      'https://nms.example/base-path/nms/v1/base/tel%3A%2B1555/folders/%E0%A4%A',
      'http://[bad'
    ]) assert.equal(folderIdFromUrl(ctx, url), undefined, url)
  })
})
